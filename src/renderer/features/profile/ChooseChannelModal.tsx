import { useState } from 'react';
import type { ChallengeView, StartResult, VerificationChannel, VerificationStatus } from '../../../shared/cloud/twofa';
import type { IpcResult } from '../../../shared/ipc';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { CHANNEL_LABELS, refusalText } from './messages';

/** 'Choose how to verify': only the channels this profile has verified (plus backup codes if any). */
export function ChooseChannelModal(props: {
  status: VerificationStatus;
  title?: string;
  start: (channel: VerificationChannel) => Promise<IpcResult<StartResult>>;
  onStarted: (challenge: ChallengeView) => void;
  onClose: () => void;
}) {
  const options: VerificationChannel[] = [...props.status.channels, ...(props.status.backupCodesLeft > 0 ? (['backup_code'] as const) : [])];
  const [channel, setChannel] = useState<VerificationChannel | null>(options[0] ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const destination = (c: VerificationChannel): string | null =>
    c === 'email' ? props.status.email : c === 'sms' && props.status.phone ? `•••• ${props.status.phone.slice(-4)}` : null;

  const proceed = async () => {
    if (!channel) return;
    setBusy(true);
    setProblem(null);
    const result = await props.start(channel);
    setBusy(false);
    if (!result.ok) return setProblem(result.error.message);
    if (result.value.status === 'started') props.onStarted(result.value.challenge);
    else setProblem(refusalText(result.value));
  };

  return (
    <div className="twofa-backdrop">
      <div className="twofa-modal" role="dialog" aria-modal="true" aria-labelledby="twofa-choose-title">
        <h2 id="twofa-choose-title">{props.title ?? 'Choose how to verify'}</h2>
        {options.length === 0 ? (
          <p className="error" role="alert">
            No verification options available — set up an authenticator app or verify your email first.
          </p>
        ) : (
          <fieldset className="twofa-channels">
            <legend>Send or use a code from a channel you have already verified. Codes are never sent to the new number.</legend>
            {options.map((c) => (
              <label key={c} className="check">
                <input type="radio" name="twofa-channel" checked={channel === c} onChange={() => setChannel(c)} />
                <span>
                  {CHANNEL_LABELS[c]}
                  {destination(c) ? <span className="muted"> — {destination(c)}</span> : null}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {!props.status.channels.includes('sms') ? (
          <p className="hint">
            {props.status.smsUnavailable === 'phone_unverified'
              ? "Don't see SMS? Your current phone isn't verified — use Email or the Authenticator App, or verify the existing number first."
              : "Don't see SMS? There is no verified phone on this profile — use Email or the Authenticator App."}
          </p>
        ) : null}
        <ErrorAlert message={problem} />
        <div className="twofa-actions">
          <button type="button" className="primary" disabled={!channel || busy} onClick={() => void proceed()}>
            Continue
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
