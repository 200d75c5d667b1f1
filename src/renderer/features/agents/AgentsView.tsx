import { useEffect } from 'react';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useIsAdmin } from '../../state/session';
import { AgentEditor } from './AgentEditor';
import { AgentList } from './AgentList';
import { loadAgentOptions, loadAgents } from './agents-actions';
import { useAgents } from './agents-store';
import './agents.css';

/** The AI agents tab (admins): the practice's agents, or the one open in the card builder. */
export function AgentsView() {
  const admin = useIsAdmin();
  const open = useAgents((s) => s.open);
  const error = useAgents((s) => s.error);
  const message = useAgents((s) => s.message);
  // The cloud says so before any agent exists (options), and on each agent.
  const noBrain = useAgents((s) => s.options?.brain === 'none' || (s.agents ?? []).some((a) => a.brain === 'none'));
  useEffect(() => {
    if (!admin) return;
    void loadAgents();
    void loadAgentOptions();
  }, [admin]);
  if (!admin) return <p>Only account admins can set up AI agents.</p>;
  return (
    <div className="agents">
      {noBrain ? (
        <p className="agents-notice" data-testid="no-brain-notice">
          <strong>Agents are not answering calls:</strong> the cloud has no AI brain configured, so their lines ring as usual. Whoever runs your cloud sets one up
          (AI_BRAIN: the offline scripted agent, or an OpenAI-compatible endpoint). Your agents and cards are kept.
        </p>
      ) : null}
      <ErrorAlert message={error} />
      <p className="sr-only" role="status" aria-live="polite">
        {message ?? ''}
      </p>
      {message ? <p className="agents-message" aria-hidden="true">{message}</p> : null}
      {open ? <AgentEditor key={open} agentId={open} /> : <AgentList />}
    </div>
  );
}
