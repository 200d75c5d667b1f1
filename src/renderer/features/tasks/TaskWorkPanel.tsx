import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { dispositionIndexForKey, dispositionKey, MAX_KEYED_DISPOSITIONS } from '../../../shared/disposition-keys';
import { callOutcomeLabels, type CallOutcome } from '../../../shared/cloud/call-outcomes';
import type { CachedTask, TaskAct } from '../../../shared/ipc/contract-tasks';
import { formatPhone } from '../../lib/phone';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type { PendingTaskCommand } from './tasks-store';

/** Keys of the outcomes besides dispositions (dispositions keep their 1–0 keys, as on the wrap-up picker). */
export const OUTCOME_KEYS: Record<Exclude<CallOutcome, 'disposition'>, string> = { no_answer: 'n', left_voicemail: 'v', wrong_number: 'w' };

/**
 * The task being worked (Let's Start). A call task: Call opens the dialer on the contact's number;
 * when the call is over, its outcome is one key — a disposition (1–0) or N no answer / V left
 * voicemail / W wrong number. A text task: the message, editable; C (or Ctrl+Enter while editing)
 * sends it from the practice's number — the task completes once Twilio accepts it. S skips (with a
 * reason), Escape stops.
 */
export function TaskWorkPanel(props: TaskWorkProps) {
  // Everything typed or shown here (note, text, skip reason, error) belongs to one task: the next
  // task gets a panel of its own, so nothing is carried over to it.
  return <TaskWork key={props.task.id} {...props} />;
}

interface TaskWorkProps {
  task: CachedTask;
  onAct: (input: TaskAct) => Promise<string | null>;
  onStop: () => void;
  command?: PendingTaskCommand | null;
  onCommandDone?: () => void;
}

function TaskWork(props: TaskWorkProps) {
  const { task } = props;
  const dispositions = (usePractice((s) => s.dispositions?.active) ?? []).slice(0, MAX_KEYED_DISPOSITIONS);
  const prefillDialer = useNavigation((s) => s.prefillDialer);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState(task.message ?? '');
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus();
  }, []);
  // The task's text changed under it (synced): the text to send is the new one.
  useEffect(() => setMessage(task.message ?? ''), [task.message]);

  const act = async (input: TaskAct) => setError(await props.onAct(input));
  const sendText = () => {
    if (!message.trim()) return setError('The text is empty');
    void act({ action: 'sendText', taskId: task.id, message: message.trim() });
  };
  const finishCall = (callOutcome: CallOutcome, dispositionId?: string) =>
    act({ action: 'finish', taskId: task.id, outcome: 'completed', callOutcome, ...(dispositionId ? { dispositionId } : {}), ...(note.trim() ? { note: note.trim() } : {}) });

  // A queue hotkey from another program (main showed the window): skip asks why; complete sends a text
  // as edited, or — a call's outcome being one key — puts focus on the outcomes; next task shows this one.
  const outcomes = useRef<HTMLOListElement>(null);
  const commandAt = props.command?.at;
  useEffect(() => {
    const kind = props.command?.kind;
    if (!kind) return;
    if (kind === 'skipTask') setSkipping(true);
    else if (kind === 'completeTask' && task.type === 'sms') sendText();
    else if (kind === 'completeTask') outcomes.current?.querySelector('button')?.focus();
    else panel.current?.focus();
    props.onCommandDone?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per press
  }, [commandAt]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (task.type === 'sms' && event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target instanceof HTMLTextAreaElement) {
      event.preventDefault();
      return sendText();
    }
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === 'escape') return props.onStop();
    if (key === 's') {
      event.preventDefault();
      return setSkipping(true);
    }
    if (task.type === 'sms' && key === 'c') {
      event.preventDefault();
      return sendText();
    }
    if (task.type !== 'call') return;
    // D moves focus to the dialer's input: without preventDefault the key's own "d" would be typed there.
    if (key === 'd' && task.contactPhone) {
      event.preventDefault();
      return prefillDialer(task.contactPhone, task.fromNumberId, task.id);
    }
    const index = dispositionIndexForKey(key);
    if (index >= 0 && dispositions[index]) {
      event.preventDefault();
      return void finishCall('disposition', dispositions[index].id);
    }
    const extra = (Object.entries(OUTCOME_KEYS) as [Exclude<CallOutcome, 'disposition'>, string][]).find(([, k]) => k === key);
    if (extra) {
      event.preventDefault();
      void finishCall(extra[0]);
    }
  };

  return (
    <section ref={panel} tabIndex={-1} className="task-work" aria-label={`Working: ${task.title}`} onKeyDown={onKeyDown}>
      <h2>
        {task.type === 'call' ? 'Call' : 'Text'} {task.contactName ?? 'a contact'} <small>{task.title}</small>
      </h2>
      {task.workflowName ? <p>From the workflow “{task.workflowName}”.</p> : null}
      <ErrorAlert message={error} />
      {task.type === 'call' ? (
        <>
          <p>
            <button type="button" onClick={() => task.contactPhone && prefillDialer(task.contactPhone, task.fromNumberId, task.id)} disabled={!task.contactPhone} aria-keyshortcuts="D">
              Call {task.contactPhone ? formatPhone(task.contactPhone) : '(no number)'}
            </button>{' '}
            The dialer opens on this number. When the call ends, the disposition chosen in its wrap-up completes this task — or choose the outcome here.
          </p>
          <label>
            Note <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={4000} />
          </label>
          <ol ref={outcomes} className="disposition-picker" aria-label="How did the call go?">
            {dispositions.map((d, index) => (
              <li key={d.id}>
                <button type="button" onClick={() => void finishCall('disposition', d.id)} aria-keyshortcuts={dispositionKey(index)}>
                  <kbd>{dispositionKey(index)}</kbd> {d.label}
                </button>
              </li>
            ))}
            {(Object.entries(OUTCOME_KEYS) as [Exclude<CallOutcome, 'disposition'>, string][]).map(([outcome, key]) => (
              <li key={outcome}>
                <button type="button" onClick={() => void finishCall(outcome)} aria-keyshortcuts={key.toUpperCase()}>
                  <kbd>{key.toUpperCase()}</kbd> {callOutcomeLabels[outcome]}
                </button>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <>
          <label>
            Message to {task.contactPhone ? formatPhone(task.contactPhone) : 'the contact'}
            <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={4} maxLength={1600} disabled={task.sending} aria-keyshortcuts="Control+Enter" />
          </label>
          {task.messageError && !task.sending ? (
            <p className="error" role="alert">
              The text was not sent: {task.messageError}. Edit it and send again, or skip the task.
            </p>
          ) : null}
          <button type="button" onClick={sendText} disabled={task.sending} aria-keyshortcuts="C">
            {task.sending ? 'Sending…' : task.messageError ? 'Send again' : 'Send text'}
          </button>{' '}
          {task.sending ? <span role="status">The text goes out as soon as the cloud is reachable; the task completes when Twilio accepts it.</span> : null}
        </>
      )}
      {skipping ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void act({ action: 'finish', taskId: task.id, outcome: 'skipped', reason: reason.trim() });
          }}
        >
          <label>
            Why skip it? <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
          </label>
          <button type="submit">Skip task</button>
          <button type="button" onClick={() => setSkipping(false)}>
            Back
          </button>
        </form>
      ) : (
        <p>
          <button type="button" onClick={() => setSkipping(true)} aria-keyshortcuts="S">
            Skip…
          </button>{' '}
          <button type="button" onClick={props.onStop} aria-keyshortcuts="Escape">
            Stop working the queue
          </button>
        </p>
      )}
    </section>
  );
}
