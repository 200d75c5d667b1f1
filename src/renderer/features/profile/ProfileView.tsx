import { useCallback, useEffect, useState } from 'react';
import type { ChallengeView, Refusal, VerificationStatus } from '../../../shared/cloud/twofa';
import type { TotpEnrolmentView } from '../../../shared/ipc/contract-2fa';
import { formatDateTime } from '../../lib/format';
import { parseDialTarget } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import { useIsAdmin, useMyUserId } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ChooseChannelModal } from './ChooseChannelModal';
import { CodeStep } from './CodeStep';
import { PasswordStep } from './PasswordStep';
import { refusalText } from './messages';
import { cancelChallenge, cancelHeldPhoneChange, confirmTotpCode, loadVerification, startChannelVerification, startPhoneChange, startTotpStepUp } from './profile-actions';

type Flow =
  | { step: 'idle' }
  | { step: 'choose'; purpose: 'phone_change' | 'totp_enrol'; newPhone: string }
  | { step: 'code'; challenge: ChallengeView }
  | { step: 'password' }
  | { step: 'totp'; enrolment: TotpEnrolmentView }
  | { step: 'backup'; codes: string[] };

const E164 = /^\+[1-9]\d{6,14}$/;

/** My profile: verified channels, the 2FA-protected phone change, authenticator enrolment; admins can pick a team member. */
export function ProfileView() {
  const isAdmin = useIsAdmin();
  const directory = usePractice((s) => s.directory);
  const selfId = useMyUserId();
  const [memberId, setMemberId] = useState<string | null>(null);
  const [status, setStatus] = useState<VerificationStatus | null>(null);
  const [newPhone, setNewPhone] = useState('');
  const [flow, setFlow] = useState<Flow>({ step: 'idle' });
  const [problem, setProblem] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [totpCode, setTotpCode] = useState('');
  const forMember = memberId !== null && memberId !== selfId;

  const load = useCallback(async () => {
    const result = await loadVerification(forMember ? memberId : null);
    if (result.ok) setStatus(result.value);
    else setProblem(result.error.message);
  }, [forMember, memberId]);
  useEffect(() => {
    void load();
  }, [load]);

  const refused = (refusal: Refusal) => setProblem(refusalText(refusal));
  const reset = () => {
    setFlow({ step: 'idle' });
    void load();
  };

  const updateProfile = () => {
    setProblem(null);
    setSuccess(null);
    // As people type it: "(310) 555-0177", "310.555.0177" or "+1 310 555 0177" (the US when no country is given).
    const parsed = parseDialTarget(newPhone.trim());
    const phone = parsed.ok ? parsed.e164 : '';
    if (!E164.test(phone)) return setProblem('Enter the new number with its area code, like (310) 555-0177, or in international format, like +44 20 7946 0958.');
    if (!status) return;
    // Told before starting, so nobody is blocked mid-update.
    if (status.channels.length === 0 && status.backupCodesLeft === 0) {
      return setProblem(
        forMember
          ? 'No verification options available for this team member — they need to set up an authenticator app or verify their email first.'
          : 'No verification options available — set up an authenticator app or verify your email first.',
      );
    }
    setFlow({ step: 'choose', purpose: 'phone_change', newPhone: phone });
  };

  const verifyChannel = async (channel: 'email' | 'sms') => {
    setProblem(null);
    setSuccess(null);
    const result = await startChannelVerification(channel);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'started') setFlow({ step: 'code', challenge: result.value.challenge });
    else refused(result.value);
  };

  // With a verified channel, a code to it approves the new app; without one, the password re-entered.
  const setUpTotp = () => {
    setProblem(null);
    setSuccess(null);
    if (status && (status.emailVerified || status.phoneVerified || status.totpEnabled)) setFlow({ step: 'choose', purpose: 'totp_enrol', newPhone: '' });
    else setFlow({ step: 'password' });
  };

  const cancelHeld = async (heldId: string) => {
    setProblem(null);
    setSuccess(null);
    const result = await cancelHeldPhoneChange(heldId);
    if (!result.ok) return setProblem(result.error.message);
    setSuccess(result.value.cancelled ? 'The waiting phone number change was cancelled.' : 'That change was no longer waiting.');
    void load();
  };

  const confirmTotp = async () => {
    setProblem(null);
    const result = await confirmTotpCode(totpCode);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'enabled') {
      setTotpCode('');
      setStatus(result.value.profile);
      setFlow({ step: 'backup', codes: result.value.backupCodes });
      setSuccess('Authenticator app set up.');
    } else refused(result.value);
  };

  if (!status) return <p className="placeholder">{problem ?? 'Loading your profile…'}</p>;
  // At the daily limit the button cannot work: disabled, with when it will again.
  const atLimit = status.attemptsToday.used >= status.attemptsToday.limit;
  const members = (directory?.users ?? []).filter((u) => u.id !== selfId);
  const badge = (ok: boolean) => <span className={ok ? 'twofa-badge ok' : 'twofa-badge'}>{ok ? 'Verified' : 'Not verified'}</span>;

  return (
    <div className="settings profile">
      {isAdmin ? (
        <label className="row">
          Profile
          <select
            aria-label="Whose profile"
            value={memberId ?? ''}
            onChange={(e) => {
              setMemberId(e.target.value || null);
              setStatus(null);
              setFlow({ step: 'idle' });
              setProblem(null);
              setSuccess(null);
            }}
          >
            <option value="">My profile</option>
            {members.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} (team member)
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {success ? (
        <p className="hint twofa-success" role="status">
          {success}
        </p>
      ) : null}
      <ErrorAlert message={problem} />

      <fieldset className="settings-section">
        <legend>Personal data{forMember ? ` — ${status.name}` : ''}</legend>
        <p>
          Email: <strong>{status.email}</strong> {badge(status.emailVerified)}{' '}
          {!forMember && !status.emailVerified ? (
            <button type="button" onClick={() => void verifyChannel('email')}>
              Verify email
            </button>
          ) : null}
        </p>
        <p>
          Phone: <strong data-testid="profile-phone">{status.phone ?? 'none'}</strong> {status.phone ? badge(status.phoneVerified) : null}{' '}
          {!forMember && status.phone && !status.phoneVerified ? (
            <button type="button" onClick={() => void verifyChannel('sms')}>
              Verify phone
            </button>
          ) : null}
        </p>
        <p>
          Authenticator app: {status.totpEnabled ? <span className="twofa-badge ok">On</span> : <span className="twofa-badge">Off</span>}{' '}
          {!forMember ? (
            <button type="button" onClick={setUpTotp}>
              {status.totpEnabled ? 'Replace authenticator' : 'Set up authenticator app'}
            </button>
          ) : null}
          {status.totpEnabled ? <span className="muted"> Backup codes left: {status.backupCodesLeft}</span> : null}
        </p>
        {status.heldPhoneChange ? (
          <p className="hint" role="note" data-testid="held-phone-change">
            A change to {status.heldPhoneChange.newPhone} is waiting and takes effect {new Date(status.heldPhoneChange.appliesAt).toLocaleString()} (the authenticator app that approved it is
            less than a day old).{' '}
            <button type="button" onClick={() => void cancelHeld(status.heldPhoneChange!.id)}>
              Cancel this change
            </button>
          </p>
        ) : null}
        {status.channels.length === 0 ? (
          <p className="hint" role="note">
            {forMember
              ? 'This team member has no verified channel yet: they need to set up an authenticator app or verify their email first.'
              : "You don't have a verified channel yet: set up an authenticator app or verify your email first, so you aren't blocked mid-update."}
          </p>
        ) : null}
        <label className="row">
          New phone number
          <input type="tel" placeholder="(310) 555-0177" autoComplete="tel" value={newPhone} onChange={(e) => setNewPhone(e.target.value)} />
        </label>
        <button type="button" className="primary" onClick={updateProfile} disabled={flow.step !== 'idle' || atLimit} aria-describedby="attempts-today">
          Update Profile
        </button>
        <p className={atLimit ? 'limit-reached' : 'muted'} id="attempts-today">
          {status.attemptsToday.used} of {status.attemptsToday.limit} change attempts used today.
          {atLimit ? (status.attemptsToday.resetsAt ? ` You can try again after ${formatDateTime(status.attemptsToday.resetsAt)}.` : ' You can try again tomorrow.') : ''}
        </p>
      </fieldset>

      {flow.step === 'choose' ? (
        <ChooseChannelModal
          status={status}
          start={(channel) =>
            flow.purpose === 'phone_change'
              ? startPhoneChange(flow.newPhone, channel, forMember ? memberId : null)
              : startTotpStepUp(channel)
          }
          onStarted={(challenge) => setFlow({ step: 'code', challenge })}
          onClose={() => setFlow({ step: 'idle' })}
        />
      ) : null}

      {flow.step === 'code' ? (
        <div className="twofa-backdrop">
          <div className="twofa-modal" role="dialog" aria-modal="true" aria-label="Enter the verification code">
            <h2>Enter the verification code</h2>
            <CodeStep
              challenge={flow.challenge}
              onCancel={() => {
                cancelChallenge(flow.challenge.id);
                reset();
              }}
              onVerified={(result) => {
                setStatus(result.profile);
                if (result.purpose === 'totp_enrol' && result.enrolment) return setFlow({ step: 'totp', enrolment: result.enrolment });
                setFlow({ step: 'idle' });
                if (result.purpose === 'phone_change' && result.held) {
                  setNewPhone('');
                  setSuccess(
                    `Your new number ${result.held.newPhone} takes effect ${new Date(result.held.appliesAt).toLocaleString()}: your authenticator app is less than a day old, so the change waits. Your email on file and your admins were told.`,
                  );
                } else if (result.purpose === 'phone_change') {
                  setNewPhone('');
                  setSuccess(`Phone number updated to ${result.profile.phone ?? ''}. Verify it before it can receive codes.`);
                } else setSuccess(result.purpose === 'verify_email' ? 'Email verified.' : 'Phone verified.');
              }}
            />
          </div>
        </div>
      ) : null}

      {flow.step === 'password' ? (
        <PasswordStep
          onEnrolment={(enrolment) => setFlow({ step: 'totp', enrolment })}
          onStepUp={() => setFlow({ step: 'choose', purpose: 'totp_enrol', newPhone: '' })}
          onCancel={() => setFlow({ step: 'idle' })}
        />
      ) : null}

      {flow.step === 'totp' ? (
        <div className="twofa-backdrop">
          <div className="twofa-modal" role="dialog" aria-modal="true" aria-label="Set up your authenticator app">
            <h2>Set up your authenticator app</h2>
            <p>Scan this QR code with your authenticator app, then enter the 6-digit code it shows.</p>
            <img className="twofa-qr" src={flow.enrolment.qrDataUrl} alt="QR code for your authenticator app" width={220} height={220} />
            <p className="muted">
              Can't scan? Enter this key: <code data-testid="totp-secret">{flow.enrolment.secret}</code>
            </p>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void confirmTotp();
              }}
            >
              <label>
                Code from the app
                <input inputMode="numeric" autoComplete="one-time-code" value={totpCode} onChange={(e) => setTotpCode(e.target.value)} maxLength={6} />
              </label>
              <div className="twofa-actions">
                <button type="submit" className="primary" disabled={totpCode.length !== 6}>
                  Turn on
                </button>
                <button type="button" onClick={reset}>
                  Cancel
                </button>
              </div>
            </form>
          </div>
        </div>
      ) : null}

      {flow.step === 'backup' ? (
        <div className="twofa-backdrop">
          <div className="twofa-modal" role="dialog" aria-modal="true" aria-label="Your backup codes">
            <h2>Your backup codes</h2>
            <p>If you lose access to your email and phone, each of these codes works once. Keep them somewhere safe: they are not shown again.</p>
            <ul className="twofa-backup" data-testid="backup-codes">
              {flow.codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
            <button type="button" className="primary" onClick={reset}>
              I saved them
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
