import { useId, useState, type FormEvent } from 'react';
import { ACTION_TYPE_LABELS, phaseOf, type Agent, type AgentAction, type AgentActionType } from '../../../shared/cloud/agents';
import { ModalDialog } from '../../ui/ModalDialog';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ActionFields } from './ActionFields';
import { draftFrom, draftToInput, newDraft, type ActionDraft } from './action-form';
import { saveAction } from './agents-actions';
import { limitRefusal } from './limits';

const TYPE_HELP: Record<AgentActionType, string> = {
  call_transfer: 'Put the caller through to a team member, a team or a number.',
  trigger_workflow: "Start one of your workflows with the call's details.",
  send_sms: 'Text the caller a message with merge fields.',
  book_appointment: 'Book the caller into a provider’s calendar.',
  custom_action: 'Call your HTTPS webhook and say something with its answer.',
  update_contact_field: 'After the call, write what the caller said into a contact field.',
};
const TYPES = Object.keys(ACTION_TYPE_LABELS) as AgentActionType[];

/** New Action → choose the type → its details in this focused window → Save: the card appears under its tab. */
export function ActionDialog(props: { agent: Agent; phase: 'during' | 'after'; editing: AgentAction | null; onClose: () => void }) {
  const { agent, editing } = props;
  const [draft, setDraft] = useState<ActionDraft | null>(() => (editing ? draftFrom(editing) : props.phase === 'after' ? newDraft('update_contact_field') : null));
  const [problems, setProblems] = useState<string[]>([]);
  const [refused, setRefused] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const types = TYPES.filter((t) => phaseOf(t) === props.phase);

  const choose = (type: AgentActionType) => {
    const problem = limitRefusal(agent.actions, type);
    if (problem) return setRefused(problem);
    setRefused(null);
    setDraft(newDraft(type));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    // The same check the cloud makes, so the 16th is refused here; the cloud's 409 is shown if it still happens.
    const problem = limitRefusal(agent.actions, draft.type, editing);
    if (problem) return setRefused(problem);
    const result = draftToInput(draft);
    if (!result.ok) return setProblems(result.problems);
    setProblems([]);
    setSaving(true);
    const failure = await saveAction(agent.id, editing?.id ?? null, result.input);
    setSaving(false);
    if (failure) setRefused(failure);
    else props.onClose();
  };

  const title = editing ? `Edit ${editing.name}` : draft ? `New ${ACTION_TYPE_LABELS[draft.type]} action` : 'New action: choose the type';
  return (
    <ModalDialog labelledBy={headingId} onClose={props.onClose} className="agent-action-dialog">
      <h3 id={headingId}>{title}</h3>
      <ErrorAlert message={refused} />
      {draft === null ? (
        <>
          <ul className="agent-type-choices">
            {types.map((t) => {
              const problem = limitRefusal(agent.actions, t);
              return (
                <li key={t}>
                  <button type="button" onClick={() => choose(t)} aria-disabled={problem ? true : undefined} aria-describedby={`${headingId}-${t}`}>
                    {ACTION_TYPE_LABELS[t]}
                  </button>
                  <span id={`${headingId}-${t}`} className="agents-help">
                    {problem ?? TYPE_HELP[t]}
                  </span>
                </li>
              );
            })}
          </ul>
          <div className="actions">
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          {problems.length ? (
            <ul className="field-error" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
          <ActionFields draft={draft} onChange={(patch) => setDraft({ ...draft, ...patch })} />
          <div className="actions">
            <button type="submit" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
