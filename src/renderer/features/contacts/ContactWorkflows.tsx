import { useCallback, useEffect, useId, useState } from 'react';
import type { RunStep, Workflow } from '../../../shared/cloud/workflows';
import { getBridge } from '../../bridge';
import './contacts.css';

const stepStatus: Record<string, string> = {
  pending: 'Pending', running: 'Running', waiting: 'Waiting', completed: 'Completed', error: 'Error', skipped: 'Skipped', removed: 'Removed',
};

/**
 * From a contact (admins): put them into a published workflow by hand, and see their runs — each
 * run's steps with status, time and the reason for a skip or an error.
 */
export function ContactWorkflows(props: { contactId: string; contactName: string }) {
  const { contactId, contactName } = props;
  const [workflows, setWorkflows] = useState<Workflow[]>([]);
  const [steps, setSteps] = useState<RunStep[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const selectId = useId();

  const loadRuns = useCallback(async () => {
    const result = await getBridge().automation.log({ contactId });
    if (result.ok) setSteps(result.value);
    else setError(result.error.message);
  }, [contactId]);
  useEffect(() => {
    void getBridge()
      .automation.list()
      .then((r) => (r.ok ? setWorkflows(r.value.workflows.filter((w) => w.status === 'published')) : setError(r.error.message)));
    void loadRuns();
  }, [loadRuns]);

  const enrol = async () => {
    const workflow = workflows.find((w) => w.id === chosen);
    if (!workflow) return setError('Choose a published workflow first.');
    const result = await getBridge().automation.enrol({ workflowId: workflow.id, contactId });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setStatus(`Enrolled ${contactName} in ${workflow.name}: the run starts within moments.`);
    await loadRuns();
  };

  const names = new Map(workflows.map((w) => [w.id, w.name]));
  const runs = new Map<string, RunStep[]>();
  // The log comes newest first; a run reads in step order (oldest step first), newest run first.
  for (const s of steps ?? []) runs.set(s.runId, [s, ...(runs.get(s.runId) ?? [])]);

  return (
    <div className="contact-workflows" role="group" aria-label={`Workflows of ${contactName}`}>
      <div className="contact-workflows-enrol">
        <label htmlFor={selectId}>Enrol in a workflow</label>
        <select id={selectId} value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{workflows.length ? 'Choose a published workflow' : 'No published workflows'}</option>
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void enrol()} disabled={!chosen}>
          Enrol
        </button>
        <button type="button" onClick={() => void loadRuns().then(() => setStatus('Runs refreshed.'))}>
          Refresh runs
        </button>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {status}
      </p>
      {steps === null ? null : runs.size === 0 ? (
        <p className="placeholder">No workflow runs for {contactName} yet.</p>
      ) : (
        <ul className="contact-runs" aria-label={`Workflow runs of ${contactName}`}>
          {[...runs.entries()].map(([runId, list]) => (
            <li key={runId}>
              <strong>{names.get(list[0]!.workflowId) ?? 'A workflow no longer published'}</strong> <small>version {list[0]!.version}</small>
              <ol>
                {list.map((s) => (
                  <li key={s.stepKey}>
                    {s.name}: {stepStatus[s.status] ?? s.status} <small>{new Date(s.finishedAt ?? s.createdAt).toLocaleString()}</small>
                    {s.reason ? <small> — {s.reason}</small> : null}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
