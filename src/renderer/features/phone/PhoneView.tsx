import { memo, useEffect, useRef } from 'react';
import { useAfterPresented } from '../../lib/after-paint';
import { useSession, useSignedIn } from '../../state/session';
import { isEngaged, useVoiceStore } from '../../voice';
import { Dialer } from './Dialer';
import { IncomingPanel } from './IncomingPanel';
import { InCallPanel } from './InCallPanel';
import { describeCaller, workflowCallOf } from './phone-runtime';
import { usePhone } from './phone-store';
import { useRinging } from './RingingBar';
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
 *
 * The first ringing call's panel is always there, dormant (laid out, hidden) while nothing rings:
 * a ring fills it in and shows it over the top of the dialer, so the ring's frame paints the panel
 * alone; once that frame is on screen the dialer is set aside and the panel takes its place in the
 * flow, where it looks the same (issue #21). Over a call in progress, a message or a workflow's
 * call the panel goes straight into the flow (it must not cover them, even for a frame).
 */
export function PhoneView() {
  const { ringing } = useRinging();
  const engaged = useVoiceStore((s) => s.calls.find((c) => isEngaged(c) && c.phase.name !== 'ringing'));
  const wrapups = usePhone((s) => s.wrapUps.items);
  const message = usePhone((s) => s.message);
  const signedIn = useSignedIn();
  // Until main says who is signed in (the first moments of a start), "Sign in" would be wrong for most starts.
  const sessionKnown = useSession((s) => s.session !== null);
  const wrapup = wrapups[0];
  const first = ringing[0] ?? null;
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
      <IncomingPanel call={first} busy={Boolean(engaged)} overlay={overlay} />
      {ringing.slice(1).map((call) => (
        <IncomingPanel key={call.id} call={call} busy={Boolean(engaged)} />
      ))}
      {engaged ? <InCallPanel call={engaged} /> : null}
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

/**
 * Announces ringing calls to screen readers, once each: a frame after the ringing panel is on screen
 * (the ring's frame lays out and paints the panel alone, issue #21).
 */
export function CallAnnouncer() {
  const { ringing } = useRinging();
  const text = useAfterPresented(ringing.map((call) => `Incoming call from ${describeCaller(call)}. Press Control+Enter to answer, Control+Shift+D to reject.`).join(' '));
  return (
    <div className="sr-only" role="alert" aria-live="assertive" data-testid="call-announcer">
      {text}
    </div>
  );
}
