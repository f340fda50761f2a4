import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
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
      <div class="field">
        <label for="notice-title">{t.editor.title}</label>
        <input
          id="notice-title"
          name="title"
          maxLength={120}
          value={draft.title}
          onInput={(e) => update({ title: e.currentTarget.value })}
          {...describe('notice-title', titleError)}
        />
        <FieldError id="notice-title-error" message={titleError} />
      </div>
      <div class="field">
        <label for="notice-body">{t.editor.body}</label>
        <textarea
          id="notice-body"
          name="body"
          rows={10}
          value={draft.body}
          onInput={(e) => update({ body: e.currentTarget.value })}
          {...describe('notice-body', bodyError, true)}
        />
        <p class="hint" id="notice-body-hint">
          {t.editor.bodyHint}
        </p>
        <FieldError id="notice-body-error" message={bodyError} />
      </div>
    </fieldset>
  );
}
