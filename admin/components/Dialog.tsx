import type { Failure } from '@protocol';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n';
import { FailureMessage } from './Feedback';

export interface DialogProps {
  /** Also the base of the heading's id, which names the dialog. */
  id: string;
  heading: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}

/**
 * A modal dialog on the native `<dialog>`: the browser traps focus, closes on
 * Escape and hides the page behind from assistive technology. Focus returns
 * to where it was when the dialog closes.
 */
export function Dialog({ id, heading, onClose, children, wide = false }: DialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);

  // Layout effects run before the browser paints, so the opener is still the
  // focused element. On the way out the dialog is closed before focus moves
  // back: while it is still modal the rest of the page is inert and focus()
  // on the opener would silently fail, leaving focus on <body>.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    return () => {
      if (dialog?.open) {
        if (typeof dialog.close === 'function') dialog.close();
        else dialog.removeAttribute('open');
      }
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      id={id}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={`${id}-heading`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={`${id}-heading`}>{heading}</h2>
        <button type="button" class="icon-button" onClick={onClose}>
          <span aria-hidden="true">×</span>
          <span class="sr-only">{t.common.close}</span>
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** The foot of every dialog form: the server's refusal if any, the submit button, and 取消. */
export function DialogActions({
  failure,
  busy,
  submitLabel,
  danger = false,
  onCancel,
}: {
  failure: Failure | null;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <FailureMessage failure={failure} />
      <div class="actions">
        <button type="submit" class={danger ? 'primary danger' : 'primary'} disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t.common.cancel}
        </button>
      </div>
    </>
  );
}
