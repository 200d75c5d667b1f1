import { useId, useState, type FormEvent } from 'react';
import type { Workflow } from '../../../shared/cloud/workflows';
import { ModalDialog } from '../../ui/ModalDialog';
import { createWorkflow, deleteWorkflow, duplicateWorkflow, openWorkflow, pauseWorkflow } from './automation-actions';
import { useAutomation } from './automation-store';
import { triggerLabels } from './action-catalog';
import { TableScroll } from '../../ui/TableScroll';

const statusLabel = { draft: 'Draft', published: 'Published', paused: 'Paused' } as const;

/** Delete with the admin's choice for runs in progress (finish on their version, or cancel now). */
function DeleteDialog(props: { workflow: Workflow; activeRuns: number; onClose: () => void }) {
  const { workflow, activeRuns, onClose } = props;
  const [choice, setChoice] = useState<'finish' | 'cancel'>('finish');
  const titleId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await deleteWorkflow(workflow.id, workflow.name, choice)) onClose();
  };
  return (
    <ModalDialog labelledBy={titleId} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={titleId}>Delete {workflow.name}?</h2>
        <p>No new contacts will enter it. Its execution log is kept.</p>
        <fieldset>
          <legend>
            {activeRuns} run{activeRuns === 1 ? '' : 's'} in progress
          </legend>
          <label>
            <input type="radio" name="in-progress" checked={choice === 'finish'} onChange={() => setChoice('finish')} />
            Let them finish
          </label>
          <label>
            <input type="radio" name="in-progress" checked={choice === 'cancel'} onChange={() => setChoice('cancel')} />
            Cancel them now
          </label>
        </fieldset>
        <div className="automation-row">
          <button type="submit" className="danger">
            Delete workflow
          </button>
          <button type="button" onClick={onClose}>
            Keep it
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

function CreateForm() {
  const [name, setName] = useState('');
  const nameId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await createWorkflow(name)) setName('');
  };
  return (
    <form className="automation-row" onSubmit={(e) => void submit(e)} aria-label="Create workflow">
      <label htmlFor={nameId}>New workflow name</label>
      <input id={nameId} value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} placeholder="Block spam callers" />
      <button type="submit">+ Create Workflow</button>
    </form>
  );
}

/** The Automation tab's list: name, trigger, status, runs in the last 7 days, errors; open, duplicate, pause, delete. */
export function WorkflowList() {
  const workflows = useAutomation((s) => s.workflows);
  const summaries = useAutomation((s) => s.summaries);
  const busy = useAutomation((s) => s.busy);
  const [deleting, setDeleting] = useState<Workflow | null>(null);
  return (
    <section aria-labelledby="automation-heading">
      <h2 id="automation-heading">Automation</h2>
      <CreateForm />
      {busy ? <p aria-live="polite">{busy}</p> : null}
      {workflows === null ? (
        <p>Loading workflows…</p>
      ) : workflows.length === 0 ? (
        <p>No workflows yet. Create one: pick a trigger, then add actions with +.</p>
      ) : (
        <TableScroll label="Workflows">
          <table className="automation-table">
            <caption className="sr-only">Workflows</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Runs (7 days)</th>
                <th scope="col">Errors (7 days)</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {workflows.map((w) => {
                const s = summaries[w.id];
                return (
                  <tr key={w.id}>
                    <th scope="row">
                      <button type="button" className="link" onClick={() => void openWorkflow(w.id)}>
                        {w.name}
                      </button>
                    </th>
                    <td>{w.draft.trigger ? triggerLabels[w.draft.trigger.type] : 'No trigger yet'}</td>
                    <td>
                      <span className={`wf-status wf-status-${w.status}`}>{statusLabel[w.status]}</span>
                    </td>
                    <td>{s?.runs7d ?? 0}</td>
                    <td>{s?.errors7d ? <strong className="wf-errors">{s.errors7d}</strong> : 0}</td>
                    <td className="automation-row">
                      <button type="button" onClick={() => void duplicateWorkflow(w.id)} aria-label={`Duplicate ${w.name}`}>
                        Duplicate
                      </button>
                      {w.status === 'published' ? (
                        <button type="button" onClick={() => void pauseWorkflow(w.id)} aria-label={`Pause ${w.name}`}>
                          Pause
                        </button>
                      ) : null}
                      <button type="button" className="danger" onClick={() => setDeleting(w)} aria-label={`Delete ${w.name}`}>
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {deleting ? <DeleteDialog workflow={deleting} activeRuns={summaries[deleting.id]?.activeRuns ?? 0} onClose={() => setDeleting(null)} /> : null}
    </section>
  );
}
