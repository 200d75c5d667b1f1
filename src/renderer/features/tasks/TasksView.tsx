import { useEffect, useRef, useState } from 'react';
import type { TaskAct, TaskListFilter, TasksView as TasksData } from '../../../shared/ipc/contract-tasks';
import { useCacheVersion } from '../../state/cache-versions';
import { useIsAdmin } from '../../state/session';
import { useVoiceStore } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { actOnTask, isOverdue, loadTasks, nextTask, textDelivery } from './tasks-actions';
import { useTasks, type PendingTaskCommand } from './tasks-store';
import { TaskWorkPanel } from './TaskWorkPanel';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued', in_progress: 'In progress', completed: 'Completed', skipped: 'Skipped', cancelled: 'Cancelled', expired: 'Expired',
};

async function act(input: TaskAct): Promise<string | null> {
  const r = await actOnTask(input);
  return 'error' in r ? r.error : null;
}

/** Starts a task once per window: the list may not have refreshed yet when the next render asks again. */
async function startOnce(started: Set<string>, id: string): Promise<string | null> {
  if (started.has(id)) return null;
  started.add(id);
  return act({ action: 'start', taskId: id });
}

/**
 * Inbox → Manual Actions: the follow-up calls and texts workflows hand the front desk, oldest first,
 * overdue ones highlighted. Let's Start works through them one after another until the queue is
 * empty or the receptionist stops.
 */
export function TasksView() {
  const version = useCacheVersion('tasks');
  const isAdmin = useIsAdmin();
  const working = useTasks((s) => s.working);
  const [filter, setFilter] = useState<TaskListFilter>({ scope: 'mine', status: 'open' });
  const [data, setData] = useState<TasksData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mineOpen, setMineOpen] = useState<TasksData['items']>([]);
  // Whether `mineOpen` has been read since this view mounted: until then an empty queue means "not
  // known yet", not "done" (coming back to the tab mid-queue must not end the queue).
  const [mineLoaded, setMineLoaded] = useState(false);
  // Tasks this window asked to start: the list may not have refreshed yet, and a task is started once.
  const started = useRef(new Set<string>());

  useEffect(() => {
    let live = true;
    void loadTasks(filter).then((r) => {
      if (!live) return;
      if (typeof r === 'string') setError(r);
      else setData(r);
    });
    void loadTasks({ scope: 'mine', status: 'open' }).then((r) => {
      if (live && typeof r !== 'string') {
        setMineOpen(r.items);
        setMineLoaded(true);
      }
    });
    return () => {
      live = false;
    };
  }, [filter, version]);

  // A call that comes in takes precedence: the queue pauses until that call and its wrap-up are over
  // (the voice engine keeps an answered call in its wrap-up phase until the wrap-up is logged or skipped).
  const callIn = useVoiceStore((s) => s.calls.some((c) => c.direction === 'incoming' && c.phase.name !== 'done'));
  const paused = working && callIn;
  // The task on screen stays until it is finished: a task that comes back meanwhile (a text Twilio
  // refused) waits its turn instead of replacing it under the receptionist's keys.
  const workingId = useTasks((s) => s.workingId);
  const current = working && !paused ? nextTask(mineOpen, workingId) : null;
  useEffect(() => {
    if (working && !paused && current === null && mineLoaded) useTasks.setState({ working: false });
  }, [working, paused, current, mineLoaded]);
  const currentId = current?.id ?? null;
  useEffect(() => {
    if (!working) useTasks.setState({ workingId: null });
    else if (!paused && currentId) useTasks.setState({ workingId: currentId });
  }, [working, paused, currentId]);

  const startTask = (id: string) => startOnce(started.current, id);
  const start = async () => {
    const first = nextTask(mineOpen);
    if (!first) return;
    if (first.status === 'queued') {
      const refused = await startTask(first.id);
      if (refused) return setError(refused);
    }
    useTasks.setState({ working: true });
  };
  // The next task is started as soon as the previous one is finished (the queue's list refreshes on the cache change).
  useEffect(() => {
    if (working && current?.status === 'queued') void startOnce(started.current, current.id).then((refused) => refused && setError(refused));
  }, [working, current?.id, current?.status]);

  // A queue hotkey: next task starts the queue (or brings the task being worked to the front); skip and
  // complete act on the task being worked, in its panel. Each press is handled once.
  const command = useTasks((s) => s.command);
  const [panelCommand, setPanelCommand] = useState<PendingTaskCommand | null>(null);
  useEffect(() => {
    if (!command || !data) return;
    useTasks.setState({ command: null });
    if (current) return setPanelCommand(command);
    if (command.kind === 'nextTask') {
      if (nextTask(mineOpen)) void start();
      else setError('No open task to start.');
    } else {
      setError(`No task is being worked, so there is nothing to ${command.kind === 'skipTask' ? 'skip' : 'complete'}. Start the queue first (Let’s Start).`);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- acts once per press, on the queue as it is then
  }, [command, data]);

  const set = (patch: Partial<TaskListFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const now = Date.now();
  return (
    <div className="tasks">
      <div className="toolbar" role="group" aria-label="Filter tasks">
        <label>
          Assigned to{' '}
          <select value={filter.scope} onChange={(e) => set({ scope: e.target.value as TaskListFilter['scope'] })}>
            <option value="mine">Me</option>
            <option value="unassigned">Unassigned</option>
            {isAdmin ? <option value="all">Everyone</option> : null}
          </select>
        </label>
        <label>
          Type{' '}
          <select value={filter.type ?? ''} onChange={(e) => set({ type: (e.target.value || undefined) as TaskListFilter['type'] })}>
            <option value="">Calls and texts</option>
            <option value="call">Calls</option>
            <option value="sms">Texts</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select value={filter.status} onChange={(e) => set({ status: e.target.value as TaskListFilter['status'] })}>
            <option value="open">Open</option>
            <option value="finished">Finished</option>
          </select>
        </label>
        <label>
          Workflow{' '}
          <select value={filter.workflowId ?? ''} onChange={(e) => set({ workflowId: e.target.value || undefined })}>
            <option value="">Any</option>
            {data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void start()} disabled={working || !nextTask(mineOpen)}>
          Let’s Start
        </button>
      </div>
      <ErrorAlert message={error} />
      {paused ? (
        <p className="task-paused" role="status">
          Paused: a call came in. The queue resumes after its wrap-up.
        </p>
      ) : null}
      {current ? <TaskWorkPanel task={current} onAct={act} onStop={() => useTasks.setState({ working: false })} command={panelCommand} onCommandDone={() => setPanelCommand(null)} /> : null}
      {!data ? (
        <p className="placeholder">Loading tasks…</p>
      ) : data.items.length === 0 ? (
        <p className="placeholder">No tasks here. Follow-up calls and texts from your workflows appear here.</p>
      ) : (
        <table className="task-table">
          <caption className="sr-only">Tasks, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Workflow</th>
              <th scope="col">Assigned To</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Date Added</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((t) => (
              <tr key={t.id} className={isOverdue(t, now) ? 'overdue' : undefined}>
                <td>
                  {t.contactName ?? 'Unknown contact'} <small>{t.title}</small>
                </td>
                <td>
                  <CellLabel>Workflow</CellLabel>
                  {t.workflowName ?? '—'}
                </td>
                <td>
                  <CellLabel>Assigned to</CellLabel>
                  {t.assignedUserName ?? (t.assignedUserId ? 'Someone else' : 'Unassigned')}
                </td>
                <td>
                  <CellLabel>Type</CellLabel>
                  {t.type === 'call' ? 'Call' : 'Text'}
                </td>
                <td>
                  <CellLabel>Status</CellLabel>
                  {t.blockedReason ? <strong>Blocked: {t.blockedReason}</strong> : STATUS_LABELS[t.status]}
                  {isOverdue(t, now) ? <span className="sr-only"> (overdue)</span> : null}
                  {t.pending ? <small> · waiting to sync</small> : null}
                  {textDelivery(t) ? <small> · {textDelivery(t)}</small> : null}
                </td>
                <td>
                  <CellLabel>Added</CellLabel>
                  <time dateTime={t.createdAt}>{dateFormat.format(new Date(t.createdAt))}</time>
                </td>
                <td>
                  {t.assignedUserId === null && (t.status === 'queued' || t.status === 'in_progress') ? (
                    <button type="button" onClick={() => void act({ action: 'claim', taskId: t.id }).then(setError)}>
                      Claim <span className="sr-only">{t.contactName}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * A cell's column name, shown only where the table is laid out as one card per task (a narrow
 * window hides the header row). Hidden from assistive tech, which has the header cells.
 */
function CellLabel(props: { children: string }) {
  return (
    <span className="cell-label" aria-hidden="true">
      {props.children}
    </span>
  );
}
