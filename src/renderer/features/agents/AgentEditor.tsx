import { useId, useState } from 'react';
import { ModalDialog } from '../../ui/ModalDialog';
import { ActionBoard } from './ActionBoard';
import { AgentSettingsForm } from './AgentSettingsForm';
import { deleteAgent, openAgent } from './agents-actions';
import { useAgents } from './agents-store';

/** One agent: its settings, then its action cards (a new agent gets cards once it is created). */
export function AgentEditor(props: { agentId: string }) {
  const agent = useAgents((s) => (props.agentId === 'new' ? null : (s.agents ?? []).find((a) => a.id === props.agentId) ?? null));
  const busy = useAgents((s) => s.busy);
  const [confirming, setConfirming] = useState(false);
  const confirmId = useId();
  if (props.agentId !== 'new' && !agent) {
    return (
      <section>
        <p>This agent is no longer there.</p>
        <button type="button" onClick={() => openAgent(null)}>
          ← All agents
        </button>
      </section>
    );
  }
  return (
    <section className="agent-editor" aria-labelledby="agent-heading">
      <div className="automation-row">
        <button type="button" onClick={() => openAgent(null)}>
          ← All agents
        </button>
        <h2 id="agent-heading">{agent ? agent.name : 'New agent'}</h2>
        {agent ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete agent
          </button>
        ) : null}
      </div>
      {busy ? <p aria-live="polite">{busy}</p> : null}
      <AgentSettingsForm agent={agent} />
      {agent ? <ActionBoard agent={agent} /> : null}
      {confirming && agent ? (
        <ModalDialog labelledBy={confirmId} onClose={() => setConfirming(false)}>
          <h3 id={confirmId}>Delete {agent.name}?</h3>
          <p>Its {agent.actions.length} cards go with it, and its lines ring as usual again.</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void deleteAgent(agent)}>
              Delete agent
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </section>
  );
}
