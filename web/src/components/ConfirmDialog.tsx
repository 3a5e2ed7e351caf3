/**
 * A modal confirmation for destructive actions (Reset Stats, Deactivate). It is a native
 * <dialog> opened with showModal(): the rest of the page is inert while it is open and Tab
 * cycles inside it; Escape cancels; focus returns to what had it (the button that opened it).
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<void>;
  onClose(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const busyRef = useRef(false);
  const titleId = useId();
  const { onClose } = props;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // Back to the button that opened the dialog, if it is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    // Escape fires "cancel": the page decides when the dialog goes (not while working).
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (!busyRef.current) onClose();
    };
    // Tab wraps around inside the dialog (browsers would otherwise move on to their own toolbar).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const focusable = [
        ...dialog.querySelectorAll<HTMLElement>('button, [href], input, select, textarea'),
      ].filter((el) => !el.hasAttribute('disabled') && el.tabIndex >= 0);
      const first = focusable[0];
      const last = focusable.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (
        !e.shiftKey &&
        (document.activeElement === last || !dialog.contains(document.activeElement))
      ) {
        e.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('keydown', onKey);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const confirm = async () => {
    setBusy(true);
    busyRef.current = true;
    setError(null);
    try {
      await props.onConfirm();
      busyRef.current = false;
      props.onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
      busyRef.current = false;
    }
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <div className="modal-body">{props.children}</div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button ref={cancelRef} type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`}
          onClick={confirm}
          disabled={busy}
        >
          {busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
