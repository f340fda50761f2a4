import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { DraftFieldsProps } from './types';

/** 标题 and 正文: what villagers read. */
export function ContentFields({ draft, update, failure }: DraftFieldsProps) {
  const { t } = useI18n();
  const titleError = fieldErrorFor(failure, 'title');
  const bodyError = fieldErrorFor(failure, 'body');
  return (
    <fieldset class="group">
      <legend>{t.editor.sections.content}</legend>
      <Field id="notice-title" label={t.editor.title} error={titleError}>
        {(control) => (
          <input {...control} name="title" maxLength={120} value={draft.title} onInput={(e) => update({ title: e.currentTarget.value })} />
        )}
      </Field>
      <Field id="notice-body" label={t.editor.body} hint={t.editor.bodyHint} error={bodyError}>
        {(control) => (
          <textarea {...control} name="body" rows={10} value={draft.body} onInput={(e) => update({ body: e.currentTarget.value })} />
        )}
      </Field>
    </fieldset>
  );
}
