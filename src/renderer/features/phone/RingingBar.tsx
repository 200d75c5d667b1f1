import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { afterPresented } from '../../lib/after-paint';
import { formatPhone } from '../../lib/phone';
import { useNavigation } from '../../state/navigation';
import { answerRefusalIn, isEngaged, useVoiceStore, type CallState } from '../../voice';
import { answerCall, rejectCall, sendCallToVoicemail } from './phone-actions';
import { describeCaller, workflowCallOf } from './phone-runtime';
import { usePhone } from './phone-store';
import { commandKeyName, isTyping, ringingKeyAction } from './ringing-keys';
import { PhoneIcon } from '../../ui/icons';

const APP_TITLE = 'Aesthetix Softphone';

/**
 * What the ringing keys say, on the bar and the Phone tab's incoming panel alike: only the keys that
 * work now. `answerRefusal`: why the call cannot be answered now (the engine's words), or null.
 * `voicemail`: false for a workflow's own call.
 */
export function RingingKeysHint(props: { answerRefusal: string | null; voicemail: boolean }) {
  const cmd = commandKeyName();
  return (
    <p className="ring-hint" data-testid="ringing-hint">
      {props.answerRefusal === null ? (
        <>
          <kbd>{cmd}+Enter</kbd> answers and <kbd>{cmd}+Shift+D</kbd> rejects, even while typing; <kbd>A</kbd> <kbd>R</kbd>
          {props.voicemail ? <> <kbd>V</kbd></> : null} when not typing.
        </>
      ) : (
        <>
          {props.answerRefusal} <kbd>{cmd}+Shift+D</kbd> rejects, even while typing; <kbd>R</kbd> rejects
          {props.voicemail ? <> and <kbd>V</kbd> sends to voicemail</> : null} when not typing.
        </>
      )}
    </p>
  );
}

/**
 * The ringing calls; whether another call is in progress (`busy`: a second call); and why the first
 * ringing call cannot be answered now, or null (`answerRefusal`: the engine's own rule, so a call
 * over a held one can be answered, one over a live call cannot).
 */
export function useRinging(): { ringing: CallState[]; busy: boolean; answerRefusal: string | null } {
  // Only the ringing calls' own changes re-render (a call in progress changes often: mute, hold, …).
  const ringing = useVoiceStore(useShallow((s) => s.calls.filter((c) => c.phase.name === 'ringing')));
  const busy = useVoiceStore((s) => s.calls.some(isEngaged));
  const answerRefusal = useVoiceStore((s) => {
    const first = s.calls.find((c) => c.phase.name === 'ringing');
    return first ? (answerRefusalIn(s, first)?.message ?? null) : null;
  });
  return { ringing, busy, answerRefusal };
}

/**
 * Keys for the ringing call, from anywhere in the window: the modifier keys even from a text field,
 * the bare letters only when the receptionist is not typing. Captured before any screen's own keys.
 */
function useRingingKeys(first: CallState | undefined, canAnswer: boolean): void {
  const id = first?.id;
  const voicemail = first ? !workflowCallOf(first) : false;
  useEffect(() => {
    if (!id) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.defaultPrevented) return;
      const action = ringingKeyAction(event, isTyping(event.target), { answer: canAnswer, voicemail });
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      if (action === 'answer') answerCall(id);
      else if (action === 'reject') rejectCall(id);
      else sendCallToVoicemail(id);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [id, canAnswer, voicemail]);
}

/** The window's title names the ringing caller: the taskbar and window switcher show it. */
function useRingingTitle(first: CallState | undefined): void {
  const caller = usePhone((s) => (first ? (s.lookups[first.from]?.contact?.name ?? null) : null));
  const title = first ? `Incoming call: ${caller ?? describeCaller(first)} — ${APP_TITLE}` : null;
  useEffect(() => {
    if (title === null) {
      document.title = APP_TITLE;
      return;
    }
    // Set once the ringing panel is on screen: the panel must not wait for the title.
    return afterPresented(() => {
      document.title = title;
    });
  }, [title]);
  useEffect(
    () => () => {
      document.title = APP_TITLE;
    },
    [],
  );
}

/**
 * The phone rings whatever screen the receptionist is on: above the tabs, the caller with Answer,
 * Reject and Voicemail (the Phone tab shows the full incoming panel instead), the ringing keys and
 * the window title. Mounted for as long as someone is signed in.
 */
export function RingingBar() {
  const { ringing, busy, answerRefusal } = useRinging();
  const view = useNavigation((s) => s.view);
  const docked = useNavigation((s) => s.phoneDocked);
  const lookups = usePhone((s) => s.lookups);
  const first = ringing[0];
  useRingingKeys(first, answerRefusal === null);
  useRingingTitle(first);
  // The phone's own incoming panel is on screen (its tab, or docked beside the section at wide widths).
  if (!first || view === 'phone' || docked) return null;
  return (
    <section className={`ringing-bar${busy ? ' second' : ''}`} aria-label="Ringing call" data-testid="ringing-bar">
      {ringing.map((call) => {
        const name = lookups[call.from]?.contact?.name ?? null;
        return (
          <div key={call.id} className="ringing-call">
            <p className="ringing-caller">
              <span className="ring-icon" aria-hidden="true">
                <PhoneIcon />
              </span>{' '}
              <span className="eyebrow">{busy ? 'Another call' : 'Incoming call'}</span> <strong>{name ?? describeCaller(call)}</strong>
              {name ? <span className="muted"> {formatPhone(call.from)}</span> : null}
            </p>
            <div className="actions">
              <button type="button" className="answer" disabled={answerRefusal !== null} onClick={() => answerCall(call.id)} aria-keyshortcuts="Control+Enter A">
                Answer
              </button>
              <button type="button" className="reject" onClick={() => rejectCall(call.id)} aria-keyshortcuts="Control+Shift+D R">
                Reject
              </button>
              {/* A workflow's own call would go to the practice's voicemail: not offered (as on its panel). */}
              {workflowCallOf(call) ? null : (
                <button type="button" onClick={() => sendCallToVoicemail(call.id)} aria-keyshortcuts="V">
                  Voicemail
                </button>
              )}
              <button type="button" className="link" onClick={() => useNavigation.getState().setView('phone')}>
                Show caller
              </button>
            </div>
          </div>
        );
      })}
      <RingingKeysHint answerRefusal={answerRefusal} voicemail={!workflowCallOf(first)} />
    </section>
  );
}
