import type { CallAgentRecord } from '../../../shared/cloud/agents';

const STATUS: Record<CallAgentRecord['actions'][number]['status'], string> = { done: 'Done', failed: 'Failed', refused: 'Refused' };

/** What the AI agent that answered the call left on it: its summary, what it did, and the conversation. */
export function AgentRecord(props: { record: CallAgentRecord }) {
  const { summary, actions, transcript } = props.record;
  return (
    <section className="agent-record" aria-labelledby="agent-record-h" data-testid="agent-record">
      <h3 id="agent-record-h">Answered by the AI agent</h3>
      <p>{summary}</p>
      {actions.length ? (
        <>
          <h4>What it did</h4>
          <ul className="plain-list">
            {actions.map((a, i) => (
              <li key={`${a.at}-${i}`}>
                <strong>{STATUS[a.status]}:</strong> {a.detail}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">It took no action during the call.</p>
      )}
      <details>
        <summary>Transcript ({transcript.length} lines)</summary>
        <ol className="plain-list agent-transcript">
          {transcript.map((line, i) => (
            <li key={`${line.at}-${i}`}>
              <strong>{line.role === 'agent' ? 'Agent' : 'Caller'}:</strong> {line.text}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
