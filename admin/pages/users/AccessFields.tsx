import { ROLES, type Role, type Village } from '@protocol';
import { FieldSet } from '../../components/Field';
import { useI18n } from '../../i18n';

export interface AccessFieldsProps {
  /** Prefix for ids, so two forms on one page do not clash. */
  idPrefix: string;
  roles: readonly Role[];
  villageIds: readonly string[];
  villages: readonly Village[];
  onRoles: (roles: Role[]) => void;
  onVillages: (villageIds: string[]) => void;
  rolesError: string | null;
  villagesError: string | null;
}

const toggled = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list, item] : list.filter((x) => x !== item));

/** Roles and the villages an editor is limited to, as two groups of checkboxes. */
export function AccessFields({ idPrefix, roles, villageIds, villages, onRoles, onVillages, rolesError, villagesError }: AccessFieldsProps) {
  const { t } = useI18n();
  const u = t.users;
  return (
    <>
      <FieldSet id={`${idPrefix}-roles`} class="group" legend={u.roles} error={rolesError}>
        <div class="choices">
          {ROLES.map((role) => (
            <label class="choice" key={role}>
              <input
                type="checkbox"
                checked={roles.includes(role)}
                aria-invalid={rolesError !== null}
                onChange={(e) => onRoles(toggled(roles, role, e.currentTarget.checked))}
              />
              {t.roles[role]}
            </label>
          ))}
        </div>
      </FieldSet>
      <FieldSet id={`${idPrefix}-villages`} class="group" legend={u.villageIds} hint={u.villagesHint} error={villagesError}>
        <div class="choices">
          {villages.map((v) => (
            <label class="choice" key={v.id}>
              <input
                type="checkbox"
                checked={villageIds.includes(v.id)}
                onChange={(e) => onVillages(toggled(villageIds, v.id, e.currentTarget.checked))}
              />
              {v.name}
            </label>
          ))}
        </div>
      </FieldSet>
    </>
  );
}
