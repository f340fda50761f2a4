import {
  type Ack,
  type CreateNoticeRequest,
  type Failure,
  type Notice,
  type Village,
  createNoticeRequest,
  invalidPayload,
} from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { FailureMessage, FieldError, fieldErrorFor } from './Feedback';

export interface NoticeFormProps {
  villages: readonly Village[];
  save: (body: CreateNoticeRequest) => Promise<Ack<Notice>>;
  onSaved: (notice: Notice) => void;
  onCancel?: () => void;
}

type Scope = 'town' | 'villages';

/** 新建公告: title, text and target; saves a draft. Errors appear next to their fields. */
export function NoticeForm({ villages, save, onSaved, onCancel }: NoticeFormProps) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [scope, setScope] = useState<Scope>('town');
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const toggleVillage = (id: string, checked: boolean): void => {
    const next = checked ? [...chosen, id] : chosen.filter((v) => v !== id);
    setChosen(next);
    // Ticking a village means publishing to chosen villages; the radio follows.
    if (checked) setScope('villages');
  };

  const chooseScope = (next: Scope): void => {
    setScope(next);
    if (next === 'town') setChosen([]);
  };

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const payload: CreateNoticeRequest = {
      title,
      body,
      target:
        scope === 'town'
          ? { scope: 'town' }
          : { scope: 'villages', villageIds: villages.filter((v) => chosen.includes(v.id)).map((v) => v.id) },
    };
    // The protocol's own schema catches what the controller would refuse, without a round trip.
    const local = createNoticeRequest.safeParse(payload);
    if (!local.success) return setFailure(invalidPayload(local.error));
    setBusy(true);
    const ack = await save(payload);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    onSaved(ack.data);
  };

  const titleError = fieldErrorFor(failure, 'title');
  const bodyError = fieldErrorFor(failure, 'body');
  const targetError = fieldErrorFor(failure, 'target');
  return (
    <form class="card notice-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="notice-form-heading">
      <h3 id="notice-form-heading">{t.form.heading}</h3>
      <div class="field">
        <label for="notice-title">{t.form.title}</label>
        <input
          id="notice-title"
          name="title"
          maxLength={120}
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
          aria-invalid={titleError !== null}
          aria-describedby={titleError ? 'notice-title-error' : undefined}
        />
        <FieldError id="notice-title-error" message={titleError} />
      </div>
      <div class="field">
        <label for="notice-body">{t.form.body}</label>
        <textarea
          id="notice-body"
          name="body"
          rows={8}
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
          aria-invalid={bodyError !== null}
          aria-describedby={bodyError ? 'notice-body-error notice-body-hint' : 'notice-body-hint'}
        />
        <p class="hint" id="notice-body-hint">
          {t.form.bodyHint}
        </p>
        <FieldError id="notice-body-error" message={bodyError} />
      </div>
      <fieldset class="field target" aria-invalid={targetError !== null} aria-describedby={targetError ? 'notice-target-error' : undefined}>
        <legend>{t.form.target}</legend>
        <div class="choices">
          <label class="choice">
            <input type="radio" name="scope" value="town" checked={scope === 'town'} onChange={() => chooseScope('town')} />
            {t.form.town}
          </label>
          <label class="choice">
            <input type="radio" name="scope" value="villages" checked={scope === 'villages'} onChange={() => chooseScope('villages')} />
            {t.form.villages}
          </label>
        </div>
        <p class="hint">{t.form.villagesHint}</p>
        <div class="choices villages">
          {villages.map((v) => (
            <label class="choice" key={v.id}>
              <input
                type="checkbox"
                name="villageIds"
                value={v.id}
                checked={chosen.includes(v.id)}
                onChange={(e) => toggleVillage(v.id, e.currentTarget.checked)}
              />
              {v.name}
            </label>
          ))}
        </div>
        <FieldError id="notice-target-error" message={targetError} />
      </fieldset>
      <FailureMessage failure={failure} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t.form.save}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
