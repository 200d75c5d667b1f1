import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { afterPresented } from '../../lib/after-paint';
import { formatPhone } from '../../lib/phone';
import { useNavigation } from '../../state/navigation';
import { answerRefusalIn, isEngaged, ringingKeysTarget, useVoiceStore, type CallState } from '../../voice';
import { answerCall, rejectCall, sendCallToVoicemail } from './phone-actions';
import { describeCaller, workflowCallOf } from './phone-runtime';
import { usePhone } from './phone-store';
import { commandKeyName, isTyping, ringingKeyAction } from './ringing-keys';
import { PhoneIcon } from '../../ui/icons';

const APP_TITLE = 'Aesthetix Softphone';

/**
 * What the ringing keys say, on the bar and the Phone tab's incoming panel alike: only the keys that
 * work now. `answerRefusal`: why the call cannot be answered now (the engine's words), or null.
 * `voicemail`: false for a workflow's own call. `caller`: with more than one call in one list (the
 * bar), the caller of the call the keys act on (the two-call rule), else null.
 */
export function RingingKeysHint(props: { answerRefusal: string | null; voicemail: boolean; caller?: string | null }) {
  const cmd = commandKeyName();
  return (
    <p className="ring-hint" data-testid="ringing-hint">
      {props.caller ? <>The keys act on the call that rang first ({props.caller}): </> : null}
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

/** The caller of `call` as the ringing screens name it: the contact's name once looked up, else the number. */
export function useCallerName(call: CallState | null | undefined): string | null {
  const name = usePhone((s) => (call ? (s.lookups[call.from]?.contact?.name ?? null) : null));
  return call ? (name ?? describeCaller(call)) : null;
}

/**
 * The ringing calls, in the order they rang; the one the ringing keys act on (`keysTarget`: the
 * engine's two-call rule, the same call main's hotkeys and the tray answer); whether another call is
 * in progress (`busy`: a second call); and why the keys' call cannot be answered now, or null
 * (`answerRefusal`: the engine's own rule, so a call over a held one can be answered, one over a
 * live call cannot; it is the same for every ringing call).
 */
export function useRinging(): { ringing: CallState[]; keysTarget: CallState | undefined; busy: boolean; answerRefusal: string | null } {
  // Only the ringing calls' own changes re-render (a call in progress changes often: mute, hold, …).
  const ringing = useVoiceStore(useShallow((s) => s.calls.filter((c) => c.phase.name === 'ringing')));
  const keysTarget = useVoiceStore((s) => ringingKeysTarget(s.calls));
  const busy = useVoiceStore((s) => s.calls.some(isEngaged));
  const answerRefusal = useVoiceStore((s) => {
    const target = ringingKeysTarget(s.calls);
    return target ? (answerRefusalIn(s, target)?.message ?? null) : null;
  });
  return { ringing, keysTarget, busy, answerRefusal };
}

/**
 * Keys for the ringing call they act on (`target`, the two-call rule), from anywhere in the window:
 * the modifier keys even from a text field, the bare letters only when the receptionist is not
 * typing. Captured before any screen's own keys.
 */
function useRingingKeys(target: CallState | undefined, canAnswer: boolean): void {
  const id = target?.id;
  const voicemail = target ? !workflowCallOf(target) : false;
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
  const caller = useCallerName(first);
  const title = caller !== null ? `Incoming call: ${caller} — ${APP_TITLE}` : null;
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
 * the window title. Mounted for as long as someone is signed in. With two calls ringing, only the
 * row of the call the keys act on claims them (aria-keyshortcuts), and the hint names its caller.
 */
export function RingingBar() {
  const { ringing, keysTarget, busy, answerRefusal } = useRinging();
  const view = useNavigation((s) => s.view);
  const docked = useNavigation((s) => s.phoneDocked);
  const lookups = usePhone((s) => s.lookups);
  const targetName = useCallerName(keysTarget);
  useRingingKeys(keysTarget, answerRefusal === null);
  useRingingTitle(keysTarget);
  // The phone's own incoming panel is on screen (its tab, or docked beside the section at wide widths).
  if (!keysTarget || view === 'phone' || docked) return null;
  return (
    <section className={`ringing-bar${busy ? ' second' : ''}`} aria-label="Ringing call" data-testid="ringing-bar">
      {ringing.map((call) => {
        const name = lookups[call.from]?.contact?.name ?? null;
        // Only the keys' own call says which keys work on it; the others are answered by their buttons.
        const keys = call.id === keysTarget.id;
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
              <button type="button" className="answer" disabled={answerRefusal !== null} onClick={() => answerCall(call.id)} aria-keyshortcuts={keys ? 'Control+Enter A' : undefined}>
                Answer
              </button>
              <button type="button" className="reject" onClick={() => rejectCall(call.id)} aria-keyshortcuts={keys ? 'Control+Shift+D R' : undefined}>
                Reject
              </button>
              {/* A workflow's own call would go to the practice's voicemail: not offered (as on its panel). */}
              {workflowCallOf(call) ? null : (
                <button type="button" onClick={() => sendCallToVoicemail(call.id)} aria-keyshortcuts={keys ? 'V' : undefined}>
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
      <RingingKeysHint answerRefusal={answerRefusal} voicemail={!workflowCallOf(keysTarget)} caller={ringing.length > 1 ? targetName : null} />
    </section>
  );
}
