import { useEffect, useMemo, useRef, useState } from 'react';
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover } from 'react-aria-components';
import { NONE } from '../../lib/none';
import { dtmfDigits, formatPhone, parseDialTarget } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import { useMyUserId } from '../../state/session';
import type { CallState } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { hangUpCall, holdCall, muteCall, runPhoneAction, sendCallDigits, setRecordingPaused, transferCall } from './phone-actions';
import { cloudCallId, describeCaller } from './phone-runtime';
import { usePhone } from './phone-store';
import { MutedIcon } from '../../ui/icons';

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
  // The call's own (the engine keeps it per call): the panel shows one call, then perhaps another.
  const recording = call.recording === 'paused' ? 'paused' : 'on';
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

  const toggleRecording = () => runPhoneAction(() => setRecordingPaused(call, recording === 'on'));

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
          <MutedIcon /> You are muted — the caller cannot hear you. Press <kbd>M</kbd> to unmute.
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
        <p className={recording === 'on' ? 'recording-state' : 'recording-state state-banner paused-banner'} role="status" data-testid="recording-state">
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

/** Cold transfer to a colleague (by name; presence is not known to the app yet) or a number, by keyboard. */
export function TransferForm(props: { call: CallState; onDone: () => void }) {
  const users = usePractice((s) => s.directory?.users ?? NONE);
  const me = useMyUserId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const colleagues = useMemo(() => users.filter((u) => u.id !== me && !u.deletedAt), [users, me]);
  const typed = text.trim().toLowerCase();
  const matches = useMemo(() => (typed ? colleagues.filter((u) => u.name.toLowerCase().includes(typed)) : colleagues), [colleagues, typed]);

  const transferTo = async (member: { id: string; name: string } | null) => {
    setError(null);
    let to: { toUserId: string } | { toNumber: string };
    let label: string;
    if (member) {
      to = { toUserId: member.id };
      label = member.name;
    } else if (/\d/.test(text)) {
      const parsed = parseDialTarget(text);
      if (!parsed.ok) return setError(parsed.reason);
      to = { toNumber: parsed.e164 };
      label = formatPhone(parsed.e164);
    } else {
      // A name typed and Enter: the one colleague it matches (several: say so).
      if (matches.length !== 1) return setError(matches.length ? `Several colleagues match “${text.trim()}”: pick one with ↓.` : `No colleague is called “${text.trim()}”. Type a name or a number.`);
      return transferTo(matches[0]!);
    }
    try {
      await transferCall(props.call, to, label);
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form className="transfer" onSubmit={(e) => (e.preventDefault(), void transferTo(null))}>
      <ComboBox
        allowsCustomValue
        menuTrigger="focus"
        inputValue={text}
        onInputChange={(value) => {
          setError(null);
          setText(value);
        }}
        items={matches}
        selectedKey={null}
        onSelectionChange={(key) => {
          const member = colleagues.find((u) => u.id === key);
          if (member) void transferTo(member);
        }}
      >
        <Label>Transfer to</Label>
        <Input
          autoFocus
          placeholder="Colleague’s name or a number"
          className="transfer-input"
          onKeyDownCapture={(e) => {
            // Enter with nothing highlighted transfers to what was typed (the combobox would only close its list).
            if (e.key !== 'Enter' || e.currentTarget.getAttribute('aria-activedescendant')) return;
            e.preventDefault();
            e.stopPropagation();
            void transferTo(null);
          }}
        />
        <Popover className="suggestions-popover" placement="bottom start">
          <ListBox className="suggestions" aria-label="Colleagues">
            {(u: (typeof colleagues)[number]) => (
              <ListBoxItem id={u.id} textValue={u.name} className="suggestion">
                {u.name} <small>{u.role === 'admin' ? 'Admin' : 'Front desk'}</small>
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <button type="submit">Transfer</button>
      <ErrorAlert message={error} />
    </form>
  );
}

