import { useId, useState } from 'react';
import { ModalDialog } from '../../ui/ModalDialog';
import { ActionBoard } from './ActionBoard';
import { AgentSettingsForm } from './AgentSettingsForm';
import { whenLabel } from './agent-form';
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
      {agent ? (
        <>
          {/* The cards come first on an open agent; its settings are one click away. */}
          <p className="agents-help">
            {whenLabel[agent.answerWhen]} · {agent.lineIds.length === 1 ? '1 line' : `${agent.lineIds.length} lines`}
            {agent.enabled ? '' : ' · turned off'}
            {agent.goals ? ` · Goals: ${agent.goals}` : ''}
          </p>
          <ActionBoard agent={agent} />
          <details className="agent-settings-details">
            <summary>Settings: lines, hours, greeting, goals</summary>
            <AgentSettingsForm agent={agent} />
          </details>
        </>
      ) : (
        <AgentSettingsForm agent={null} />
      )}
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
