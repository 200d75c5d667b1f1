import { NONE } from '../../lib/none';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callOutcomeLabels } from '../../../shared/cloud/call-outcomes';
import type { WrapupView } from '../../../shared/ipc/views';
import { dispositionIndexForKey, dispositionKey, MAX_KEYED_DISPOSITIONS } from '../../../shared/disposition-keys';
import { formatDuration } from '../../lib/format';
import { formatPhone } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import { useVoiceStore } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { chooseDisposition, finishTaskFromWrapUp, keepWrapUpNote, skipWrapUp, undoDisposition } from './phone-actions';
import { describeCaller } from './phone-runtime';
import { usePhone } from './phone-store';

/** A call placed for a Manual Call task may end without anyone to disposition: these complete the task instead (keys as on the Tasks tab). */
const TASK_OUTCOMES = [
  { outcome: 'no_answer', key: 'n' },
  { outcome: 'left_voicemail', key: 'v' },
  { outcome: 'wrong_number', key: 'w' },
] as const;

/**
 * Whether the picker may move focus to one of its controls: focus is nowhere (the ended call's panel
 * or the key's button left the page) or already in the picker, and not in its note being typed. A
 * receptionist who went elsewhere (another tab, a search field) is not pulled back.
 */
function mayTakeFocus(picker: HTMLElement | null): boolean {
  const active = document.activeElement;
  if (active instanceof HTMLTextAreaElement) return false;
  return !active || active === document.body || Boolean(picker?.contains(active));
}

/**
 * The disposition picker shown when a call ends: the account's dispositions in admin order on keys
 * 1–0 (also global hotkeys, which main handles), an optional note, one choice per call, and 5 seconds
 * to undo before main writes it to the outbox. The wrap-up, its undo window and its commit live in
 * main, so a crash, a reload or another call never loses it; this component renders main's state
 * (and, while main starts it, the ended call's wrap-up as the renderer asked for it: phone-store)
 * and sends intents.
 */
export function WrapUpPicker(props: { wrapup: WrapupView; waiting: number }) {
  const { wrapup } = props;
  const dispositions = usePractice((s) => s.dispositions?.active ?? NONE);
  const locations = usePractice((s) => s.directory?.locations ?? NONE);
  const selectedLocationId = usePhone((s) => s.selectedLocationId);
  const mainPending = usePhone((s) => (s.wrapUps.undo?.twilioCallSid === wrapup.twilioCallSid ? s.wrapUps.undo : null));
  const commitError = usePhone((s) => (s.wrapUps.error?.twilioCallSid === wrapup.twilioCallSid ? s.wrapUps.error.message : null));
  const [note, setNote] = useState(wrapup.note ?? '');
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  // An Undo on its way to main: the picker is shown again at once and a number key pressed meanwhile
  // is sent after the undo, so "U then 3" works however slow main's answer is. Resolves with whether
  // main took the choice back.
  const undoInFlight = useRef<Promise<boolean> | null>(null);
  const [undoing, setUndoing] = useState(false);
  const firstButton = useRef<HTMLButtonElement>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const section = useRef<HTMLElement>(null);

  const wrongLocation = wrapup.locationId !== null && selectedLocationId !== null && wrapup.locationId !== selectedLocationId && locations.length > 1;
  const callLocationName = locations.find((l) => l.id === wrapup.locationId)?.name ?? 'another location';
  const twilioCallSid = wrapup.twilioCallSid;
  // The Manual Call task this call was placed for (the dialer passed its id to the call), if any.
  const pending = undoing ? null : mainPending;
  const taskId = useVoiceStore((s) => s.calls.find((c) => c.callSid === twilioCallSid && c.direction === 'outgoing')?.customParameters.TaskId ?? null);

  // Focus the picker once its buttons exist: after a restart the wrap-up (from main) can render before
  // the dispositions (from the cache) arrive, and the number keys must work as soon as they do.
  // After Undo too (the Undo button that had focus is gone), so the number keys work at once — unless
  // the receptionist is typing the note.
  const hasDispositions = dispositions.length > 0;
  const isPending = Boolean(pending);
  useEffect(() => {
    if (wrongLocation || isPending || !mayTakeFocus(section.current)) return;
    firstButton.current?.focus();
  }, [twilioCallSid, wrongLocation, hasDispositions, isPending]);

  const choose = useCallback(
    async (index: number) => {
      const disposition = dispositions[index];
      if (!disposition || wrongLocation) return;
      setError(null);
      // Main refused the Undo (its window had ended): the choice stands, so there is nothing to replace.
      if ((await undoInFlight.current) === false) return;
      const refusal = await chooseDisposition(twilioCallSid, disposition.id, note.trim() || null);
      if (refusal) setError(refusal);
    },
    [dispositions, note, twilioCallSid, wrongLocation],
  );

  // Each intent resolves with main's refusal in words, or null (the action applied main's new state).
  const refused = (refusal: string | null) => {
    if (refusal) setError(refusal);
  };
  const undo = (): Promise<boolean> => {
    if (undoInFlight.current) return undoInFlight.current;
    // Main commits when the window ends: from then on the choice is saved and Undo is not offered.
    if (!pending || undoWindowOver(pending.commitAt, Date.now())) return Promise.resolve(false);
    setUndoing(true);
    const sent = undoDisposition(twilioCallSid)
      .catch((e: unknown) => (e instanceof Error ? e.message : String(e)))
      .then((refusal) => {
        if (refusal === null) return true;
        // On the phone's message line, about this call: the choice it names has left the picker by then.
        usePhone.getState().say('error', refusal, twilioCallSid);
        return false;
      })
      .finally(() => {
        undoInFlight.current = null;
        setUndoing(false);
      });
    undoInFlight.current = sent;
    return sent;
  };
  const finishTask = async (outcome: (typeof TASK_OUTCOMES)[number]['outcome']) => {
    if (taskId && !wrongLocation) refused(await finishTaskFromWrapUp(twilioCallSid, taskId, outcome, note.trim() || null));
  };
  const skip = async () => refused(await skipWrapUp(twilioCallSid));
  const keepNote = async (text = note) => {
    if ((text.trim() || null) !== wrapup.note) refused(await keepWrapUpNote(twilioCallSid, text.trim() || null));
  };
  // In the undo window main commits on its own clock: each change reaches it at once, so nothing typed is lost.
  const onNote = (text: string) => {
    setNote(text);
    if (pending) void keepNote(text);
  };

  // The undo window's countdown (main commits when it ends).
  useEffect(() => {
    if (!pending) return;
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(tick);
  }, [pending]);

  const chosen = pending ? dispositions.find((d) => d.id === pending.dispositionId) : null;
  const windowOver = pending ? undoWindowOver(pending.commitAt, now) : false;
  // The choice's Undo takes focus (U and Escape work from the picker anyway) — but main answers a
  // moment after the key, and a receptionist who moved on meanwhile keeps the focus they chose.
  const showsUndo = Boolean(chosen && pending && !windowOver);
  useEffect(() => {
    if (showsUndo && mayTakeFocus(section.current)) undoButton.current?.focus();
  }, [showsUndo]);
  return (
    <section
      ref={section}
      tabIndex={-1}
      className="wrap-up"
      aria-labelledby="wrap-up-title"
      data-testid="wrap-up"
      onKeyDown={(e) => {
        if (e.target instanceof HTMLTextAreaElement || e.altKey || e.ctrlKey || e.metaKey) return;
        if (pending && (e.key === 'Escape' || e.key.toLowerCase() === 'u')) {
          e.preventDefault();
          void undo();
          return;
        }
        const index = dispositionIndexForKey(e.key);
        if (index >= 0 && !pending) {
          e.preventDefault();
          void choose(index);
        }
        const taskOutcome = taskId && !pending ? TASK_OUTCOMES.find((o) => o.key === e.key.toLowerCase()) : undefined;
        if (taskOutcome) {
          e.preventDefault();
          void finishTask(taskOutcome.outcome);
        }
      }}
    >
      <h2 id="wrap-up-title">How did the call go?</h2>
      <WrapUpCall twilioCallSid={twilioCallSid} endedAt={wrapup.endedAt} />
      {taskId ? <p className="hint">This call is for a follow-up task: its outcome completes the task.</p> : null}
      {props.waiting > 1 ? <p className="hint">{props.waiting - 1} more call{props.waiting > 2 ? 's' : ''} waiting for a disposition.</p> : null}
      {wrongLocation ? (
        <div className="location-switch" role="alert">
          <p>This call belongs to {callLocationName}. Dispositions apply only in the call’s location.</p>
          <button type="button" onClick={() => usePhone.getState().selectLocation(wrapup.locationId)}>
            Switch to {callLocationName}
          </button>
        </div>
      ) : null}
      {chosen && pending ? (
        <div className="undo" role="status" aria-live="assertive">
          <span>
            Logged <strong>{chosen.label}</strong> — {windowOver ? 'saving…' : `saving in ${Math.ceil((pending.commitAt - now) / 1000)} s`}
          </span>
          {showsUndo ? (
            <button ref={undoButton} type="button" onClick={() => void undo()}>
              Undo <kbd>U</kbd>
            </button>
          ) : null}
        </div>
      ) : (
        <ol className="disposition-picker" aria-label="Dispositions">
          {dispositions.slice(0, MAX_KEYED_DISPOSITIONS).map((d, index) => (
            <li key={d.id}>
              <button ref={index === 0 ? firstButton : undefined} type="button" disabled={wrongLocation} onClick={() => void choose(index)} aria-keyshortcuts={dispositionKey(index)}>
                <kbd>{dispositionKey(index)}</kbd> {d.label}
              </button>
            </li>
          ))}
          {taskId
            ? TASK_OUTCOMES.map((o) => (
                <li key={o.outcome}>
                  <button type="button" disabled={wrongLocation} onClick={() => void finishTask(o.outcome)} aria-keyshortcuts={o.key.toUpperCase()}>
                    <kbd>{o.key.toUpperCase()}</kbd> {callOutcomeLabels[o.outcome]}
                  </button>
                </li>
              ))
            : null}
        </ol>
      )}
      <label className="note">
        Note (optional)
        <textarea value={note} maxLength={4000} rows={2} onChange={(e) => onNote(e.target.value)} onBlur={() => void keepNote()} />
      </label>
      <ErrorAlert message={error ?? commitError} />
      {!pending ? (
        <button type="button" className="link" onClick={() => void skip()}>
          Skip — no disposition applies
        </button>
      ) : null}
    </section>
  );
}

/** Whether main's undo window has ended at `now` (main commits then; its state says so a moment later). */
const undoWindowOver = (commitAt: number, now: number): boolean => now >= commitAt;

/** Which call this wrap-up is for: caller, number and talk time while the phone still knows the call, else when it ended. */
function WrapUpCall(props: { twilioCallSid: string; endedAt: string }) {
  const call = useVoiceStore((s) => s.calls.find((c) => c.callSid === props.twilioCallSid));
  const name = usePhone((s) => (call ? (s.lookups[call.direction === 'incoming' ? call.from : call.to]?.contact?.name ?? null) : null));
  if (!call) {
    const ended = new Date(props.endedAt);
    return <p className="wrap-up-call" data-testid="wrap-up-call">Call ended at {Number.isNaN(ended.getTime()) ? 'an unknown time' : ended.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}</p>;
  }
  const number = call.direction === 'incoming' ? call.from : call.to;
  const talk = call.phase.name === 'wrap-up' || call.phase.name === 'done' ? (call.phase.connectedAt ? (call.phase.endedAt - call.phase.connectedAt) / 1000 : null) : null;
  return (
    <p className="wrap-up-call" data-testid="wrap-up-call">
      <strong>{name ?? describeCaller(call)}</strong>
      {name ? <span className="muted"> {formatPhone(number)}</span> : null}
      <span className="muted">
        {' · '}
        {call.direction === 'incoming' ? 'Incoming' : 'Outgoing'}
        {talk !== null ? ` · talked ${formatDuration(talk)}` : ''}
      </span>
    </p>
  );
}
