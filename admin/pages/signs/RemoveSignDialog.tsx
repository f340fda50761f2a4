import type { Ack, Failure } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { useI18n } from '../../i18n';

/** 删除: asks once, then `DELETE /api/signs/:id`. */
export function RemoveSignDialog({
  name,
  remove,
  onDone,
  onClose,
}: {
  name: string;
  remove: () => Promise<Ack<unknown>>;
  onDone: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const p = t.signs.profile;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const ack = await remove();
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone();
  };
  return (
    <Dialog id="remove-sign-dialog" heading={p.removeHeading(name)} onClose={onClose}>
      <form onSubmit={(ev) => void onSubmit(ev)}>
        <p>{p.removeText}</p>
        <DialogActions failure={failure} busy={busy} submitLabel={p.removeConfirm} danger onCancel={onClose} />
      </form>
    </Dialog>
  );
}
