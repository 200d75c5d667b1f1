import { useCallback, useState } from 'react';
import { leaveEdits } from '../../state/unsaved-changes';
import { ModalDialog } from '../../ui/ModalDialog';
import { signOut } from './settings-actions';
import { exportUnsent, sendWaiting } from './unsent-actions';

const plural = (n: number) => (n === 1 ? '1 change has' : `${n} changes have`);

/**
 * Sign out, but never silently with work that has not reached the cloud: first try to send it; if
 * some still waits, say how much and let the person choose. Nothing is deleted either way — the
 * changes stay on this computer, theirs, and go out when they sign in here again.
 */
export function SignOutButton() {
  const [waiting, setWaiting] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const close = useCallback(() => setWaiting(null), []);

  const attempt = async () => {
    setBusy(true);
    setMessage(null);
    const sent = await sendWaiting();
    setBusy(false);
    if (sent.pending === 0) return signOut();
    setWaiting(Math.max(sent.pending, 0));
    if (sent.error) setMessage(`Could not reach the cloud: ${sent.error}`);
  };

  return (
    <>
      {/* Unsaved edits on screen (the header's menu is over every page) are asked about first. */}
      <button type="button" onClick={() => leaveEdits(() => void attempt())} disabled={busy}>
        {busy ? 'Sending waiting changes…' : 'Sign out'}
      </button>
      {waiting !== null ? (
        <ModalDialog labelledBy="sign-out-title" onClose={close}>
          <h2 id="sign-out-title">{plural(waiting)} not reached the cloud yet</h2>
          <p>
            If you sign out now they stay on this computer, kept for you, and are sent the next time you sign in here. Nothing is
            deleted.
          </p>
          {message ? <p role="status">{message}</p> : null}
          <div className="actions">
            <button type="button" autoFocus onClick={() => void attempt()} disabled={busy}>
              {busy ? 'Sending…' : 'Try sending again'}
            </button>
            <button type="button" onClick={() => void exportUnsent().then(setMessage)}>
              Save a copy…
            </button>
            <button type="button" onClick={() => void signOut()}>
              Sign out and keep them here
            </button>
            <button type="button" onClick={close}>
              Stay signed in
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
