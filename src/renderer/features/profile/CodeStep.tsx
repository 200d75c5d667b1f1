import { useEffect, useState } from 'react';
import type { ChallengeView, Refusal } from '../../../shared/cloud/twofa';
import type { ProfileVerifyResult } from '../../../shared/ipc/contract-2fa';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { refusalText } from './messages';
import { resendCode, verifyCode } from './profile-actions';

function useSecondsUntil(iso: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : 0;
}

/** Enter the code; resend after the visible timer; every refusal explained. */
export function CodeStep(props: { challenge: ChallengeView; onVerified: (result: Extract<ProfileVerifyResult, { status: 'verified' }>) => void; onCancel: () => void }) {
  const [challenge, setChallenge] = useState(props.challenge);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const wait = useSecondsUntil(challenge.resendAvailableAt);
  const sends = challenge.channel === 'email' || challenge.channel === 'sms';

  const show = (refusal: Refusal) => setProblem(refusalText(refusal));
  const verify = async () => {
    setBusy(true);
    setProblem(null);
    const result = await verifyCode(challenge.id, code);
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'verified') props.onVerified(result.value);
    else show(result.value);
  };
  const resend = async () => {
    setProblem(null);
    const result = await resendCode(challenge.id);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'started') {
      setChallenge(result.value.challenge);
      setInfo('A new code was sent. The previous one no longer works.');
    } else show(result.value);
  };

  const where =
    challenge.channel === 'totp'
      ? 'Enter the 6-digit code from your authenticator app.'
      : challenge.channel === 'backup_code'
        ? 'Enter one of your backup codes. Each works once.'
        : `We sent a 6-digit code to ${challenge.destination ?? 'your verified channel'}. It expires in 10 minutes.`;
  return (
    <form
      className="twofa-code"
      onSubmit={(event) => {
        event.preventDefault();
        void verify();
      }}
    >
      <p>{where}</p>
      <label>
        Verification code
        <input autoFocus autoComplete="one-time-code" inputMode={challenge.channel === 'backup_code' ? 'text' : 'numeric'} value={code} onChange={(e) => setCode(e.target.value)} maxLength={16} />
      </label>
      <ErrorAlert message={problem} />
      {info ? <p className="hint" role="status">{info}</p> : null}
      <div className="twofa-actions">
        <button type="submit" className="primary" disabled={busy || code.trim().length < 6}>
          Continue
        </button>
        {sends ? (
          <button type="button" onClick={() => void resend()} disabled={wait > 0 || challenge.sendsLeft === 0}>
            {wait > 0 ? `Resend code in ${wait} s` : 'Resend code'}
          </button>
        ) : null}
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {sends ? (
        <p className="hint">
          Code not received? Check spam/junk, confirm SMS coverage, and request a new code when the timer allows. Lost access to both email and phone? Use a backup code if you have them, or contact your account admin.
        </p>
      ) : null}
    </form>
  );
}
