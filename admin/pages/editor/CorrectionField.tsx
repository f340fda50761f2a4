import type { Failure } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';

export interface CorrectionFieldProps {
  value: string;
  onInput: (value: string) => void;
  /** 更正 was chosen: the reason must be given. */
  required: boolean;
  /** Opened as 更正: start here. */
  autoFocus?: boolean;
  failure: Failure | null;
}

/** 更正原因: why a published notice is being corrected; villagers see it with the new version. */
export function CorrectionField({ value, onInput, required, autoFocus = false, failure }: CorrectionFieldProps) {
  const { t } = useI18n();
  const e = t.editor;
  const error = fieldErrorFor(failure, 'correctionReason');
  const field = useRef<HTMLTextAreaElement>(null);
  // The autofocus attribute is honoured only on page load; this page is rendered later.
  useEffect(() => {
    if (autoFocus) field.current?.focus();
  }, [autoFocus]);
  return (
    <fieldset class="group">
      <legend>{e.sections.correction}</legend>
      <Field id="notice-correction" label={e.correctionReason} hint={required ? e.correctionHint : e.correctionOptional} error={error}>
        {(control) => (
          <textarea
            {...control}
            class="short"
            rows={2}
            maxLength={500}
            required={required}
            ref={field}
            value={value}
            onInput={(ev) => onInput(ev.currentTarget.value)}
          />
        )}
      </Field>
    </fieldset>
  );
}
