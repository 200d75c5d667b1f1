import { useEffect, useRef, useState } from 'react';
import { NONE } from '../../lib/none';
import { dtmfDigits, formatPhone, parseDialTarget } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import { useMyUserId } from '../../state/session';
import type { CallState } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { hangUpCall, holdCall, muteCall, runPhoneAction, sendCallDigits, setRecordingPaused, transferCall } from './phone-actions';
import { cloudCallId, describeCaller } from './phone-runtime';
import { usePhone } from './phone-store';

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

const WARNING_TEXT: Record<string, string> = {
  'high-rtt': 'The line is slow: there may be a delay.',
  'high-packet-loss': 'The connection is dropping audio.',
  'high-jitter': 'The audio may sound choppy.',
  'low-mos': 'Call quality is poor.',
  'ice-connectivity-lost': 'The connection was lost; trying to recover…',
  'low-bytes-received': 'No sound is coming from the other side.',
  'low-bytes-sent': 'Your microphone is not sending sound.',
  'constant-audio-input-level': 'Your microphone seems silent or stuck.',
};

export function elapsed(since: number, now: number): string {
  const total = Math.max(0, Math.floor((now - since) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s).padStart(2, '0')}`;
}

/** Whether the practice line this call uses records calls (pause/resume is offered only then). */
function useRecordingAllowed(call: CallState): boolean {
  const numbers = usePractice((s) => s.directory?.phoneNumbers ?? NONE);
  const incoming = usePhone((s) => (cloudCallId(call) ? s.incoming[cloudCallId(call)!] : undefined));
  const number = incoming ? numbers.find((n) => n.id === incoming.phoneNumberId) : numbers.find((n) => n.number === (call.direction === 'outgoing' ? call.from : call.to));
  return number?.recordCalls ?? false;
}

/** The call in progress: timer, mute, hold, keypad, transfer, recording, hang up (keys M H K T P E). */
export function InCallPanel(props: { call: CallState }) {
  const { call } = props;
  const [now, setNow] = useState(Date.now());
  const [keypad, setKeypad] = useState(false);
  const [transfer, setTransfer] = useState(false);
  const [recording, setRecording] = useState<'on' | 'paused'>('on');
  const recordingAllowed = useRecordingAllowed(call);
  const open = call.phase.name === 'open';
  const panelRef = useRef<HTMLElement>(null);

  // The call's keys (M H K T P E) work at once: the panel takes focus when the call starts.
  useEffect(() => {
    if (!panelRef.current?.contains(document.activeElement)) panelRef.current?.focus();
  }, [call.id]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);

  const toggleRecording = () =>
    runPhoneAction(async () => {
      const next = recording === 'on' ? 'paused' : 'on';
      await setRecordingPaused(call, next === 'paused');
      setRecording(next);
    });

  return (
    <section
      ref={panelRef}
      tabIndex={-1}
      className={`in-call${call.muted ? ' is-muted' : ''}${call.hold === 'held' ? ' is-held' : ''}`}
      aria-label={`Call with ${describeCaller(call)}`}
      data-testid="in-call-panel"
      onKeyDown={(e) => {
        if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.altKey || e.ctrlKey || e.metaKey) return;
        const key = e.key.toLowerCase();
        if (keypad && /^[0-9*#]$/.test(e.key)) sendCallDigits(call.id, e.key);
        else if (key === 'm') muteCall(call.id, !call.muted);
        else if (key === 'h') holdCall(call.id, call.hold === 'off');
        else if (key === 'k') setKeypad((v) => !v);
        else if (key === 't') setTransfer((v) => !v);
        else if (key === 'p' && recordingAllowed) toggleRecording();
        else if (key === 'e') hangUpCall(call.id);
        else return;
        e.preventDefault();
      }}
    >
      <p className="eyebrow">{call.phase.name === 'open' ? (call.phase.reconnecting ? 'Reconnecting…' : call.hold === 'held' ? 'On hold' : 'On a call') : call.phase.name === 'connecting' ? 'Connecting…' : 'Calling…'}</p>
      <h2 className="caller">{describeCaller(call)}</h2>
      <p className="timer" data-testid="call-timer" aria-live="off">
        {call.phase.name === 'open' ? elapsed(call.phase.connectedAt, now) : '—'}
      </p>
      {call.warnings.length ? (
        <ul className="warnings" role="status">
          {call.warnings.map((w) => (
            <li key={w}>{WARNING_TEXT[w] ?? `Call quality: ${w}`}</li>
          ))}
        </ul>
      ) : null}
      {call.lastError ? <p className="error">{call.lastError.message}</p> : null}
      {call.muted ? (
        <p className="state-banner muted-banner" role="status" data-testid="muted-banner">
          <span aria-hidden="true">🔇</span> You are muted — the caller cannot hear you. Press <kbd>M</kbd> to unmute.
        </p>
      ) : null}
      {call.hold === 'held' ? (
        <p className="state-banner held-banner" role="status" data-testid="held-banner">
          <span aria-hidden="true">⏸</span> The caller is on hold and hears music. Press <kbd>H</kbd> to resume.
        </p>
      ) : null}
      <div className="controls">
        <button type="button" aria-pressed={call.muted} disabled={!open} onClick={() => muteCall(call.id, !call.muted)}>
          {call.muted ? 'Unmute' : 'Mute'} <kbd>M</kbd>
        </button>
        <button type="button" aria-pressed={call.hold !== 'off'} disabled={!open || call.hold === 'holding' || call.hold === 'resuming'} onClick={() => holdCall(call.id, call.hold === 'off')}>
          {call.hold === 'off' ? 'Hold' : call.hold === 'held' ? 'Resume' : '…'} <kbd>H</kbd>
        </button>
        <button type="button" aria-pressed={keypad} disabled={!open} onClick={() => setKeypad((v) => !v)}>
          Keypad <kbd>K</kbd>
        </button>
        <button type="button" aria-pressed={transfer} disabled={!open} onClick={() => setTransfer((v) => !v)}>
          Transfer <kbd>T</kbd>
        </button>
        {recordingAllowed ? (
          <button type="button" aria-pressed={recording === 'paused'} disabled={!open} onClick={toggleRecording} data-testid="recording-toggle">
            {recording === 'on' ? 'Pause recording' : 'Resume recording'} <kbd>P</kbd>
          </button>
        ) : null}
        <button type="button" className="hang-up" onClick={() => hangUpCall(call.id)}>
          Hang up <kbd>E</kbd>
        </button>
      </div>
      {recordingAllowed ? (
        <p className={recording === 'on' ? 'recording-state' : 'recording-state state-banner paused-banner'} role="status">
          {recording === 'on' ? (
            '● Recording'
          ) : (
            <>
              <span aria-hidden="true">⏺</span> Recording paused — press <kbd>P</kbd> to resume
            </>
          )}
        </p>
      ) : null}
      {keypad ? (
        <div className="keypad" role="group" aria-label="Keypad">
          {KEYPAD.map((digit) => (
            <button key={digit} type="button" onClick={() => sendCallDigits(call.id, dtmfDigits(digit))}>
              {digit}
            </button>
          ))}
        </div>
      ) : null}
      {transfer ? <TransferForm call={call} onDone={() => setTransfer(false)} /> : null}
    </section>
  );
}

/** Cold transfer to a team member or a number. */
function TransferForm(props: { call: CallState; onDone: () => void }) {
  const users = usePractice((s) => s.directory?.users ?? NONE);
  const me = useMyUserId();
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    const member = users.find((u) => u.id === target);
    let to: { toUserId: string } | { toNumber: string };
    if (member) to = { toUserId: member.id };
    else {
      const parsed = parseDialTarget(target);
      if (!parsed.ok) return setError(parsed.reason);
      to = { toNumber: parsed.e164 };
    }
    try {
      await transferCall(props.call, to, member?.name ?? formatPhone(target));
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form className="transfer" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <label>
        Transfer to
        <input list="transfer-members" value={target} autoFocus placeholder="Team member or number" onChange={(e) => setTarget(e.target.value)} />
      </label>
      <datalist id="transfer-members">
        {users
          .filter((u) => u.id !== me && !u.deletedAt)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </datalist>
      <button type="submit">Transfer</button>
      <ErrorAlert message={error} />
    </form>
  );
}
