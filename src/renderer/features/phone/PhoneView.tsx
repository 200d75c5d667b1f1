import { memo, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAfterPresented } from '../../lib/after-paint';
import { useSession, useSignedIn } from '../../state/session';
import { engagedCall, isEngaged, ringingKeysTarget, useVoiceStore, type CallState } from '../../voice';
import { Dialer } from './Dialer';
import { IncomingPanel } from './IncomingPanel';
import { InCallPanel } from './InCallPanel';
import { holdCall } from './phone-actions';
import { describeCaller, workflowCallOf } from './phone-runtime';
import { usePhone } from './phone-store';
import { useRinging } from './RingingBar';
import { commandKeyName } from './ringing-keys';
import { WrapUpPicker } from './WrapUpPicker';

/** The dialer re-renders only on its own state: a ringing call must not re-render its combobox. */
const IdleDialer = memo(Dialer);

/**
 * While a call rings the dialer stays mounted, set aside: a ring then only mounts the incoming panel,
 * and what was typed is still there if the call is rejected or missed. Its suggestions open in a
 * portal, which a hidden wrapper does not hide: leaving the input closes them.
 * Set aside with `content-visibility: hidden` (not rendered, not focusable, not in the accessibility
 * tree, takes no space), not `display: none`: its layout is kept, so the combobox's size observer
 * sees no change and React does not re-render the dialer in the middle of the ring (issue #21).
 */
function useDialerHiddenWhileRinging(hidden: boolean) {
  const slot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const focused = document.activeElement;
    if (hidden && focused instanceof HTMLElement && slot.current?.contains(focused)) focused.blur();
  }, [hidden]);
  return slot;
}

/**
 * The phone: ringing calls first, then the call in progress, then a waiting wrap-up, else the dialer.
 * The call in progress is the one the engine's hotkeys act on (`engagedCall`: the call not on hold
 * first), so E, a click on Hang up and the hang-up hotkey all end the same call; a call left on hold
 * to answer another is a compact row above it, with Resume.
 *
 * The first ringing call's panel is always there, dormant (laid out, hidden) while nothing rings:
 * a ring fills it in and shows it over the top of the dialer, so the ring's frame paints the panel
 * alone; once that frame is on screen the dialer is set aside and the panel takes its place in the
 * flow, where it looks the same (issue #21). Over a call in progress, a message or a workflow's
 * call the panel goes straight into the flow (it must not cover them, even for a frame).
 */
export function PhoneView() {
  const { ringing, keysTarget, answerRefusal } = useRinging();
  const engaged = useVoiceStore((s) => engagedCall(s.calls));
  const onHold = useVoiceStore(useShallow((s) => otherCallsInProgress(s.calls)));
  const wrapups = usePhone((s) => s.wrapUps.items);
  const message = usePhone((s) => s.message);
  const signedIn = useSignedIn();
  // Until main says who is signed in (the first moments of a start), "Sign in" would be wrong for most starts.
  const sessionKnown = useSession((s) => s.session !== null);
  const wrapup = wrapups[0];
  // The first panel is the call the ringing keys act on (the two-call rule: the one that rang first).
  const first = keysTarget ?? null;
  const presentedId = useAfterPresented(first?.id ?? null);
  const overlay = first !== null && presentedId !== first.id && !engaged && !message && !workflowCallOf(first);
  const dialerSlot = useDialerHiddenWhileRinging(first !== null && !overlay);

  if (!signedIn) return sessionKnown ? <p className="placeholder">Sign in to use the phone.</p> : <p className="placeholder" role="status">Starting…</p>;
  return (
    <div className="phone">
      {message ? (
        <p className={message.level === 'error' ? 'error' : 'hint'} role={message.level === 'error' ? 'alert' : 'status'}>
          {message.text}{' '}
          <button type="button" className="link" onClick={() => usePhone.getState().clearMessage()} aria-label="Dismiss message">
            ×
          </button>
        </p>
      ) : null}
      <IncomingPanel call={first} keysOn={first} busy={Boolean(engaged)} answerRefusal={answerRefusal} overlay={overlay} />
      {ringing
        .filter((call) => call !== first)
        .map((call) => (
          <IncomingPanel key={call.id} call={call} keysOn={first} busy={Boolean(engaged)} answerRefusal={answerRefusal} />
        ))}
      {onHold.map((call) => (
        <HeldCallRow key={call.id} call={call} />
      ))}
      {/* Keyed: the keypad, transfer form and focus are one call's, not carried to the next. */}
      {engaged ? <InCallPanel key={engaged.id} call={engaged} /> : null}
      {!engaged && ringing.length === 0 && wrapup ? <WrapUpPicker key={wrapup.twilioCallSid} wrapup={wrapup} waiting={wrapups.length} /> : null}
      {!engaged && !wrapup ? (
        <div ref={dialerSlot} className={first !== null && !overlay ? 'set-aside' : undefined}>
          <IdleDialer />
        </div>
      ) : null}
      {engaged && wrapups.length ? <p className="hint">{wrapups.length} call{wrapups.length > 1 ? 's' : ''} waiting for a disposition.</p> : null}
    </div>
  );
}

/** The calls in progress other than the one the receptionist talks on (`engagedCall`): those left on hold. */
function otherCallsInProgress(calls: readonly CallState[]): CallState[] {
  const talking = engagedCall(calls);
  return calls.filter((c) => c !== talking && isEngaged(c));
}

const HOLD_WORDS: Record<CallState['hold'], string> = { held: 'On hold', holding: 'Going on hold', resuming: 'Resuming', off: 'On a call' };

/**
 * A call on hold while the receptionist talks on another: who it is, and Resume for that call. The
 * engine refuses to resume it while the other call is live, and its refusal is the phone's message.
 */
function HeldCallRow(props: { call: CallState }) {
  const { call } = props;
  const caller = describeCaller(call);
  return (
    <p className="state-banner held-banner held-call" data-testid="held-call">
      {HOLD_WORDS[call.hold]}: <strong>{caller}</strong> ·{' '}
      <button type="button" className="link" disabled={call.hold !== 'held'} onClick={() => holdCall(call.id, false)} aria-label={`Resume the call with ${caller}`}>
        Resume
      </button>
    </p>
  );
}

/** What the announcement says of a ringing call: the caller, and for the one the keys act on (the two-call rule: the first) the keys that work now. */
export function announceRinging(ringing: readonly CallState[], answerRefusal: string | null, cmd = commandKeyName()): string {
  const target = ringingKeysTarget(ringing);
  return ringing
    .map((call) => {
      const caller = `Incoming call from ${describeCaller(call)}.`;
      if (call !== target) return caller;
      if (answerRefusal !== null) return `${caller} ${answerRefusal} Press ${cmd}+Shift+D to reject.`;
      return `${caller} Press ${cmd}+Enter to answer, ${cmd}+Shift+D to reject.`;
    })
    .join(' ');
}

/**
 * Announces ringing calls to screen readers, once each: a frame after the ringing panel is on screen
 * (the ring's frame lays out and paints the panel alone, issue #21). The keys it names are the ones
 * the ringing hint shows (RingingKeysHint): no answer key while the engine would refuse the answer.
 */
export function CallAnnouncer() {
  const { ringing, answerRefusal } = useRinging();
  const text = useAfterPresented(announceRinging(ringing, answerRefusal));
  return (
    <div className="sr-only" role="alert" aria-live="assertive" data-testid="call-announcer">
      {text}
    </div>
  );
}
