import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the page behind is inert, focus stays inside, Escape closes
 * (onClose), and focus returns to what opened it.
 *
 * The dialog opens once, on mount. Callers pass `onClose` as an inline arrow, so it is read through
 * a ref: were it an effect dependency, every re-render of the caller (a store update, a sync) would
 * close and reopen the dialog, and showModal() would move focus to its first control — a keystroke
 * meant for the focused button would then land on another.
 */
export function ModalDialog(props: { labelledBy: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog ref={ref} className={`modal-dialog ${props.className ?? ''}`} aria-labelledby={props.labelledBy}>
      {props.children}
    </dialog>
  );
}
