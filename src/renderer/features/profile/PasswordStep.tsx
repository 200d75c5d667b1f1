import { useState } from 'react';
import type { TotpEnrolmentView } from '../../../shared/ipc/contract-2fa';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { refusalText } from './messages';
import { beginTotp } from './profile-actions';

/**
 * The first authenticator app, for a profile with no verified channel yet: a signed-in session
 * alone must not add a channel, so the password is asked for again (the cloud checks it).
 */
export function PasswordStep(props: { onEnrolment: (enrolment: TotpEnrolmentView) => void; onStepUp: () => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setProblem(null);
    const result = await beginTotp(password);
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'pending') return props.onEnrolment(result.value.enrolment);
    if (result.value.reason === 'step_up_required') return props.onStepUp();
    setPassword('');
    setProblem(refusalText(result.value));
  };

  return (
    <div className="twofa-backdrop">
      <div className="twofa-modal" role="dialog" aria-modal="true" aria-label="Confirm your password">
        <h2>Confirm your password</h2>
        <p>Setting up an authenticator app adds a way to approve changes to your profile. Enter the password you sign in with to continue.</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <label>
            Password
            <input type="password" autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={1024} />
          </label>
          <ErrorAlert message={problem} />
          <div className="twofa-actions">
            <button type="submit" className="primary" disabled={busy || password.length === 0}>
              Continue
            </button>
            <button type="button" onClick={props.onCancel}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
