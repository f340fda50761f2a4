import { type Ack, type Failure, type Village, invalidPayload, villageRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { FailureMessage, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';

export interface VillagesPanelProps {
  villages: readonly Village[];
  create: (name: string) => Promise<Ack<Village>>;
  rename: (id: string, name: string) => Promise<Ack<Village>>;
  onChanged: (message: string) => void;
}

const check = (name: string): Failure | null => {
  const parsed = villageRequest.safeParse({ name });
  return parsed.success ? null : invalidPayload(parsed.error);
};

/** The town's villages: add one, rename one in place. */
export function VillagesPanel({ villages, create, rename, onChanged }: VillagesPanelProps) {
  const { t } = useI18n();
  const v = t.villages;
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);

  const onAdd = async (event: Event): Promise<void> => {
    event.preventDefault();
    const local = check(name);
    if (local) return setFailure(local);
    setBusy(true);
    const ack = await create(name.trim());
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setName('');
    onChanged(v.added(ack.data.name));
  };

  const error = fieldErrorFor(failure, 'name');
  return (
    <section class="card villages-panel" aria-labelledby="villages-heading">
      <h2 id="villages-heading">{v.heading}</h2>
      <ul class="village-list">
        {villages.map((village) =>
          renaming === village.id ? (
            <li key={village.id}>
              <RenameForm
                village={village}
                rename={rename}
                onDone={(renamed) => {
                  setRenaming(null);
                  onChanged(v.renamed(renamed.name));
                }}
                onCancel={() => setRenaming(null)}
              />
            </li>
          ) : (
            <li key={village.id} data-village-id={village.id}>
              <span>{village.name}</span>
              <button type="button" class="link-button" onClick={() => setRenaming(village.id)} aria-label={`${v.rename} ${village.name}`}>
                {v.rename}
              </button>
            </li>
          ),
        )}
      </ul>
      <form class="row" onSubmit={(e) => void onAdd(e)} noValidate>
        <Field id="village-name" label={v.name} error={error}>
          {(control) => <input {...control} value={name} maxLength={30} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <div class="field field-button">
          <button type="submit" disabled={busy}>
            {v.add}
          </button>
        </div>
      </form>
      <FailureMessage failure={failure} />
    </section>
  );
}

function RenameForm({
  village,
  rename,
  onDone,
  onCancel,
}: {
  village: Village;
  rename: VillagesPanelProps['rename'];
  onDone: (village: Village) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(village.name);
  const [failure, setFailure] = useState<Failure | null>(null);
  const id = `rename-${village.id}`;
  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const local = check(name);
    if (local) return setFailure(local);
    const ack = await rename(village.id, name.trim());
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };
  const error = fieldErrorFor(failure, 'name');
  return (
    <form class="row rename" onSubmit={(e) => void onSubmit(e)} noValidate>
      <Field id={id} label={t.villages.renameLabel(village.name)} labelHidden error={error}>
        {(control) => <input {...control} value={name} maxLength={30} autoFocus onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <button type="submit">{t.common.save}</button>
      <button type="button" onClick={onCancel}>
        {t.common.cancel}
      </button>
    </form>
  );
}
