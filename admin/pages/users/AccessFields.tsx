import { ROLES, type Role, type Village } from '@protocol';
import { FieldError } from '../../components/Feedback';
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
      <fieldset class="group" aria-describedby={rolesError ? `${idPrefix}-roles-error` : undefined}>
        <legend>{u.roles}</legend>
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
        <FieldError id={`${idPrefix}-roles-error`} message={rolesError} />
      </fieldset>
      <fieldset class="group" aria-describedby={`${idPrefix}-villages-hint${villagesError ? ` ${idPrefix}-villages-error` : ''}`}>
        <legend>{u.villageIds}</legend>
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
        <p class="hint" id={`${idPrefix}-villages-hint`}>
          {u.villagesHint}
        </p>
        <FieldError id={`${idPrefix}-villages-error`} message={villagesError} />
      </fieldset>
    </>
  );
}
