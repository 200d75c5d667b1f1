import { useEffect, useRef, type RefObject } from 'react';
import type { IncomingCall } from '../../../shared/cloud';
import type { ScreenPopView } from '../../../shared/ipc/views';
import { afterPresented } from '../../lib/after-paint';
import { callTimeZone } from '../../lib/call-time-zone';
import { formatDay } from '../../lib/format';
import { NONE } from '../../lib/none';
import { formatPhone } from '../../lib/phone';
import { usePractice } from '../../state/practice';
import type { CallState } from '../../voice';
import { answerCall, rejectCall, sendCallToVoicemail } from './phone-actions';
import { RingingKeysHint, useCallerName } from './RingingBar';
import { cloudCallId, describeCaller, workflowCallOf, type WorkflowCall } from './phone-runtime';
import { usePhone } from './phone-store';

/**
 * The Element Timing API's mark on the caller's name: the browser reports when it was first painted
 * (`PerformanceObserver` type 'element', identifier 'incoming-call'), the ring's real paint time
 * (issue #21). Standard and inert; a spread because React's types do not list the attribute.
 */
const PAINT_MARK = { elementtiming: 'incoming-call' };

/**
 * A ringing call: who is calling (from the local cache at once), which practice line they called
 * and its whisper text, and answer / reject / voicemail by click or key (RingingBar's window keys).
 *
 * With `call` null it is the dormant panel: PhoneView keeps one laid out, hidden (not painted, not
 * focusable, not in the accessibility tree), so that a ring only fills in the caller and shows it
 * (issue #21: the ring's frame then styles, lays out and paints a few nodes, not a new panel).
 * `overlay`: shown over the top of what is below it (the dialer), out of the flow, for the ring's
 * own frame; PhoneView puts it in the flow a frame later, and the screen pop's rows come with it
 * (the ring's frame laid out and painted them too: 0.7 ms more of it at p50 in the ring bench), as
 * does the keys hint (laid out all along, painted from then on: styles.css; 0.4 ms at p50).
 * `busy`: another call is in progress (this is a second call). `answerRefusal`: why the engine would
 * not answer it now, or null — over a held call it may be answered, over a live one not.
 * `keysOn`: the ringing call the keys act on (the engine's two-call rule: the one that rang first).
 * Only that call's panel shows the keys (hint, key labels, aria-keyshortcuts) and takes focus; the
 * panel of another call ringing at the same time has its buttons and says which call the keys act on.
 */
export function IncomingPanel(props: { call: CallState | null; keysOn: CallState | null; busy: boolean; answerRefusal: string | null; overlay?: boolean }) {
  const { call, busy, answerRefusal } = props;
  // The dormant panel is laid out as the next ring's (the keys' call) will be: a ring only fills it in.
  const keysOn = call && props.keysOn?.id !== call.id ? props.keysOn : null;
  const cloudId = call ? cloudCallId(call) : undefined;
  const pop = usePhone((s) => (call ? s.lookups[call.from] : undefined));
  const incoming = usePhone((s) => (cloudId ? s.incoming[cloudId] : undefined));
  const users = usePractice((s) => s.directory?.users ?? NONE);
  const answerRef = useRef<HTMLButtonElement>(null);

  useAnswerFocus(answerRef, busy || keysOn !== null, call?.id);
  const headingKey = useHeadingKey(call?.id);

  // A workflow's Call: the caller ID is the practice's own number; say whom it is about instead.
  const workflow = call ? workflowCallOf(call) : null;
  if (call && workflow) return <WorkflowCallPanel call={call} workflow={workflow} keysOn={keysOn} busy={busy} answerRefusal={answerRefusal} />;
  const contact = pop?.contact ?? null;
  const name = contact?.name ?? incoming?.contact?.name ?? null;
  const assigned = pop?.assignedUser ?? (incoming?.contact?.assignedUserId ? users.find((u) => u.id === incoming.contact!.assignedUserId) ?? null : null);
  const tags = contact?.tags ?? incoming?.contact?.tags ?? [];
  // The cloud may already have synced this very call: the "last call" is an earlier, finished one.
  const previous = pop?.lastCall;
  const last = previous && previous.call.id !== cloudId && !['queued', 'ringing', 'in-progress'].includes(previous.call.status) ? previous : null;

  return (
    <section
      className={`incoming${busy ? ' second' : ''}${call ? (props.overlay ? ' overlay' : '') : ' dormant'}`}
      aria-label={call ? `Incoming call from ${describeCaller(call)}` : undefined}
      data-testid={call ? 'incoming-panel' : undefined}
      inert={call ? undefined : true}
    >
      <p className="eyebrow">{busy || keysOn ? 'Another call is ringing' : 'Incoming call'}</p>
      <h2 key={headingKey} className="caller" {...(call ? PAINT_MARK : null)}>
        {call ? (name ?? formatPhone(call.from)) : null}
      </h2>
      {call && name ? <p className="number">{formatPhone(call.from)}</p> : null}
      {tags.length ? (
        <p className="tags">
          {tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </p>
      ) : null}
      {/* The screen pop's rows from the panel's second frame (the ring's own frame draws the caller alone; issue #21). */}
      <dl className="pop">{props.overlay ? null : <ScreenPopRows incoming={incoming} assigned={assigned} last={last} unknownCaller={pop !== undefined && !contact && !incoming?.contact} />}</dl>
      <RingingActions call={call} keysOn={keysOn} answerRefusal={answerRefusal} answerRef={answerRef} voicemail />
    </section>
  );
}

/**
 * A new caller heading for each call, for the browser reports the paint of an element's text once.
 * Made when a call leaves the panel, not when one rings: a ring fills in the empty heading the
 * dormant panel already has (replacing it was a DOM removal and insertion on the ring's path).
 * Only a ring that directly follows another (no dormant panel between) gets its heading at once.
 */
function useHeadingKey(callId: string | undefined): number {
  const shown = useRef({ callId, key: 0 });
  if (shown.current.callId !== callId) {
    // Idempotent: a render repeated for the same call finds it recorded.
    shown.current = { callId, key: shown.current.callId === undefined ? shown.current.key : shown.current.key + 1 };
  }
  return shown.current.key;
}

/** What the practice knows of the caller and the call: the line called, its whisper, the contact's assigned user, the last call. */
function ScreenPopRows(props: { incoming: IncomingCall | undefined; assigned: { name: string } | null; last: ScreenPopView['lastCall']; unknownCaller: boolean }) {
  const { incoming, assigned, last } = props;
  // The day in the zone the call's own details show it in, with the year when it is not this one.
  const directory = usePractice((s) => s.directory);
  return (
    <>
      {incoming ? (
        <>
          <dt>Line</dt>
          <dd data-testid="line-name">{incoming.phoneNumberName}</dd>
        </>
      ) : null}
      {incoming?.whisperMessage ? (
        <>
          <dt>Whisper</dt>
          <dd>{incoming.whisperMessage}</dd>
        </>
      ) : null}
      {assigned ? (
        <>
          <dt>Assigned to</dt>
          <dd>{assigned.name}</dd>
        </>
      ) : null}
      {last ? (
        <>
          <dt>Last call</dt>
          <dd data-testid="last-call">
            {formatDay(last.call.startedAt, callTimeZone(last.call.locationId, directory))}
            {last.disposition ? ` · ${last.disposition.label}` : ''}
            {last.userName ? ` · ${last.userName}` : ''}
          </dd>
        </>
      ) : null}
      {props.unknownCaller ? (
        <>
          <dt>Caller</dt>
          <dd>Not in your contacts yet</dd>
        </>
      ) : null}
    </>
  );
}

/** A workflow's Call action ringing: the contact it is about and the whisper; answer, then press a key to connect. */
function WorkflowCallPanel(props: { call: CallState; workflow: WorkflowCall; keysOn: CallState | null; busy: boolean; answerRefusal: string | null }) {
  const { call, workflow, keysOn, busy, answerRefusal } = props;
  const answerRef = useRef<HTMLButtonElement>(null);
  useAnswerFocus(answerRef, busy || keysOn !== null, call.id);
  return (
    <section className={`incoming${busy ? ' second' : ''}`} aria-label={describeCaller(call)} data-testid="incoming-panel">
      <p className="eyebrow">{busy || keysOn ? 'Another call is ringing' : 'Workflow call'}</p>
      <h2 className="caller" {...PAINT_MARK}>{workflow.contactName ?? (workflow.contactPhone ? formatPhone(workflow.contactPhone) : 'A contact')}</h2>
      {workflow.contactName && workflow.contactPhone ? <p className="number">{formatPhone(workflow.contactPhone)}</p> : null}
      <dl className="pop">
        {workflow.whisper ? (
          <>
            <dt>Whisper</dt>
            <dd data-testid="workflow-whisper">{workflow.whisper}</dd>
          </>
        ) : null}
        <dt>From</dt>
        <dd>{formatPhone(call.from)} (your practice’s line)</dd>
      </dl>
      {/* Voicemail would send the workflow's own call to the practice's voicemail: not offered. */}
      <RingingActions call={call} keysOn={keysOn} answerRefusal={answerRefusal} answerRef={answerRef} voicemail={false} />
    </section>
  );
}

/**
 * Focus moves to Answer once the panel is on screen — the panel of the call the keys act on only, so
 * a second ring never takes focus from the first call's Answer (`skip`: also during another call): focus forces style and layout, and the ring
 * must paint first (issue #21). The ringing keys work from anywhere in the window meanwhile.
 */
function useAnswerFocus(answerRef: RefObject<HTMLButtonElement | null>, skip: boolean, callId: string | undefined): void {
  useEffect(() => (skip || !callId ? undefined : afterPresented(() => answerRef.current?.focus())), [answerRef, skip, callId]);
}

/**
 * The panel's buttons and what the keys do. `keysOn` null: the keys act on this call — key labels,
 * aria-keyshortcuts and the keys hint. Otherwise (another call rang first) the same buttons without
 * a key claimed, and a note naming the call the keys act on. `call` null: the dormant panel's buttons
 * (never reachable: the dormant panel is inert and hidden).
 */
function RingingActions(props: { call: CallState | null; keysOn: CallState | null; answerRefusal: string | null; answerRef: RefObject<HTMLButtonElement | null>; voicemail: boolean }) {
  const { answerRefusal, answerRef, voicemail } = props;
  const keys = props.keysOn === null;
  const keysCaller = useCallerName(props.keysOn);
  const id = props.call?.id;
  const press = (action: (callId: string) => void) => () => {
    if (id) action(id);
  };
  return (
    <>
      <div className="actions">
        <button ref={answerRef} type="button" className="answer" disabled={answerRefusal !== null} onClick={press(answerCall)} aria-keyshortcuts={keys ? 'Control+Enter A' : undefined}>
          Answer{keys ? <> <kbd>A</kbd></> : null}
        </button>
        <button type="button" className="reject" onClick={press(rejectCall)} aria-keyshortcuts={keys ? 'Control+Shift+D R' : undefined}>
          Reject{keys ? <> <kbd>R</kbd></> : null}
        </button>
        {voicemail ? (
          <button type="button" onClick={press(sendCallToVoicemail)} aria-keyshortcuts={keys ? 'V' : undefined}>
            Voicemail{keys ? <> <kbd>V</kbd></> : null}
          </button>
        ) : null}
      </div>
      {keys ? (
        <RingingKeysHint answerRefusal={answerRefusal} voicemail={voicemail} />
      ) : (
        <p className="ring-hint" data-testid="ringing-keys-elsewhere">
          {answerRefusal === null ? null : `${answerRefusal} `}The keys act on the call that rang first ({keysCaller}). Use these buttons for this call.
        </p>
      )}
    </>
  );
}
