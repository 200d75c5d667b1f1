import type { Agent } from '../../../shared/cloud/agents';
import { countActions } from '../../../shared/cloud/agents';
import { openAgent } from './agents-actions';
import { useAgents } from './agents-store';
import { whenLabel } from './agent-form';

function linesOf(agent: Agent, lines: Array<{ id: string; number: string; name: string }>): string {
  if (agent.lineIds.length === 0) return 'No line yet';
  return agent.lineIds.map((id) => lines.find((l) => l.id === id)?.name ?? 'A removed line').join(', ');
}

const NO_LINES: Array<{ id: string; number: string; name: string }> = [];

/** The agents: name, lines, when they answer, how many cards; open one, or create one. */
export function AgentList() {
  const agents = useAgents((s) => s.agents);
  const lines = useAgents((s) => s.options?.lines) ?? NO_LINES;
  const busy = useAgents((s) => s.busy);
  return (
    <section aria-labelledby="agents-heading">
      <h2 id="agents-heading">AI agents</h2>
      <p className="agents-help">An agent answers a line (say, after hours) and acts during and after the call with the cards you give it.</p>
      <button type="button" onClick={() => openAgent('new')}>
        + New agent
      </button>
      {busy ? <p aria-live="polite">{busy}</p> : null}
      {agents === null ? (
        <p>Loading agents…</p>
      ) : agents.length === 0 ? (
        <p>No agents yet.</p>
      ) : (
        <ul className="agents-list">
          {agents.map((a) => {
            const c = countActions(a.actions);
            return (
              <li key={a.id} className="agents-card">
                <button type="button" className="link" onClick={() => openAgent(a.id)}>
                  {a.name}
                </button>
                <span>{linesOf(a, lines)}</span>
                <span>{whenLabel[a.answerWhen]}</span>
                <span>
                  {c.during} during the call, {c.fieldUpdates} after{a.enabled ? '' : ' · turned off'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
