import type { Failure } from '@protocol';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';

export interface CorrectionFieldProps {
  value: string;
  onInput: (value: string) => void;
  /** 更正 was chosen: the reason must be given. */
  required: boolean;
  failure: Failure | null;
}

/** 更正原因: why a published notice is being corrected; villagers see it with the new version. */
export function CorrectionField({ value, onInput, required, failure }: CorrectionFieldProps) {
  const { t } = useI18n();
  const e = t.editor;
  const error = fieldErrorFor(failure, 'correctionReason');
  return (
    <fieldset class="group">
      <legend>{e.sections.correction}</legend>
      <div class="field">
        <label for="notice-correction">{e.correctionReason}</label>
        <textarea
          id="notice-correction"
          class="short"
          rows={2}
          maxLength={500}
          required={required}
          value={value}
          onInput={(ev) => onInput(ev.currentTarget.value)}
          {...describe('notice-correction', error, true)}
        />
        <p class="hint" id="notice-correction-hint">
          {required ? e.correctionHint : e.correctionOptional}
        </p>
        <FieldError id="notice-correction-error" message={error} />
      </div>
    </fieldset>
  );
}
