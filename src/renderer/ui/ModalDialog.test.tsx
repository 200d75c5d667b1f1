import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ModalDialog } from './ModalDialog';

function Host(props: { onClose: (n: number) => void }) {
  const [renders, setRenders] = useState(0);
  return (
    <>
      <button type="button" onClick={() => setRenders((n) => n + 1)}>
        Re-render
      </button>
      <ModalDialog labelledBy="t" onClose={() => props.onClose(renders)}>
        <h2 id="t">Add an action</h2>
        <button type="button">First</button>
        <button type="button">Second</button>
      </ModalDialog>
    </>
  );
}

describe('ModalDialog', () => {
  it('stays open with focus where it was when its caller re-renders with a new onClose, and Escape calls the newest one', () => {
    const onClose = vi.fn();
    render(<Host onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { hidden: true }) as HTMLDialogElement;
    const closes = vi.fn();
    dialog.addEventListener('close', closes);
    screen.getByRole('button', { name: 'Second', hidden: true }).focus();

    act(() => screen.getByRole('button', { name: 'Re-render', hidden: true }).click());
    act(() => screen.getByRole('button', { name: 'Re-render', hidden: true }).click());

    expect(closes).not.toHaveBeenCalled();
    expect(dialog.open).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Second', hidden: true }));

    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(onClose).toHaveBeenCalledWith(2);
  });
});
