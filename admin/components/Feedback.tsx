import type { Failure } from '@protocol';
import { fieldMessage, useI18n } from '../i18n';

/** The controller's message for `path` (or for a field inside it, e.g. `target.villageIds` under `target`), if any. */
export function fieldErrorFor(failure: Failure | null, path: string): string | null {
  const fields = failure?.fields;
  if (!fields) return null;
  if (fields[path] !== undefined) return fields[path];
  const nested = Object.keys(fields).find((key) => key.startsWith(`${path}.`));
  return nested === undefined ? null : (fields[nested] ?? null);
}

/**
 * The accessibility attributes of an input with an optional hint and error:
 * `aria-invalid`, and `aria-describedby` naming the hint and the error shown
 * by {@link FieldError} with id `${id}-error`.
 */
export function describe(id: string, error: string | null, hint = false): { 'aria-invalid': boolean; 'aria-describedby'?: string } {
  const ids = [hint ? `${id}-hint` : null, error !== null ? `${id}-error` : null].filter((x): x is string => x !== null);
  return ids.length > 0 ? { 'aria-invalid': error !== null, 'aria-describedby': ids.join(' ') } : { 'aria-invalid': false };
}

/** An error shown under the field it belongs to; the field points at it with `aria-describedby`. */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  const { t } = useI18n();
  if (message === null) return null;
  const text = fieldMessage(t, message);
  return (
    <p class="field-error" id={id}>
      {t.locale === 'en' ? markChinese(text) : text}
    </p>
  );
}

/** English text that quotes Chinese (a section's number, what to type): the Chinese runs marked as such, for screen readers. */
export function markChinese(text: string) {
  return text.split(/(\p{Script=Han}+[。，]?)/u).map((part, i) => (i % 2 === 1 ? <span lang="zh-CN">{part}</span> : part));
}

/** A refused request, in words the reader can act on, with the controller's own detail. */
export function FailureMessage({ failure }: { failure: Failure | null }) {
  const { t } = useI18n();
  if (!failure) return null;
  const hasFields = failure.fields !== undefined && Object.keys(failure.fields).length > 0;
  return (
    <p class="form-error" role="alert">
      <strong>{hasFields ? t.form.fix : t.errors[failure.error]}</strong>
      {!hasFields && failure.error !== 'unavailable' && <span class="error-detail"> {fieldMessage(t, failure.message)}</span>}
    </p>
  );
}

/** A success line announced to screen readers; empty renders nothing visible. */
export function Flash({ message }: { message: string | null }) {
  return (
    <p class="flash" role="status">
      {message}
    </p>
  );
}
