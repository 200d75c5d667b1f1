import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the page behind is inert, focus stays inside, Escape closes
 * (onClose), and focus returns to what opened it.
 */
export function ModalDialog(props: { labelledBy: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, [onClose]);
  return (
    <dialog ref={ref} className={`modal-dialog ${props.className ?? ''}`} aria-labelledby={props.labelledBy}>
      {props.children}
    </dialog>
  );
}
