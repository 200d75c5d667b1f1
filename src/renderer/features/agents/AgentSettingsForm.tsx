import { useId, useState, type FormEvent } from 'react';
import type { Agent } from '../../../shared/cloud/agents';
import { createAgent, saveAgent } from './agents-actions';
import { useAgents } from './agents-store';
import { agentDraft, agentDraftToInput, DAY_NAMES, whenLabel, type AgentDraft } from './agent-form';

/** Name, the lines it answers and when, business hours, greeting, goals — for a new agent or an open one. */
export function AgentSettingsForm(props: { agent: Agent | null }) {
  const lines = useAgents((s) => s.options?.lines ?? null);
  const [draft, setDraft] = useState<AgentDraft>(() => agentDraft(props.agent));
  const [problems, setProblems] = useState<string[]>([]);
  const id = useId();
  const set = (patch: Partial<AgentDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const toggle = (list: readonly string[] | readonly number[], value: string | number): never[] =>
    ((list as unknown[]).includes(value) ? (list as unknown[]).filter((v) => v !== value) : [...list, value]) as never[];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = agentDraftToInput(draft);
    if (!result.ok) return setProblems(result.problems);
    setProblems([]);
    if (props.agent) await saveAgent(props.agent.id, result.input);
    else await createAgent(result.input);
  };

  return (
    <form className="agent-settings" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`} noValidate>
      <h3 id={`${id}-h`}>{props.agent ? 'Settings' : 'New agent'}</h3>
      {problems.length ? (
        <ul className="field-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <label className="field">
        Name
        <input value={draft.name} maxLength={80} required onChange={(e) => set({ name: e.target.value })} />
      </label>
      <fieldset className="checklist">
        <legend>Lines it answers</legend>
        {lines === null ? <p>Loading lines…</p> : lines.length === 0 ? <p>The practice has no phone numbers yet (add one under Phone numbers).</p> : null}
        {(lines ?? []).map((l) => (
          <label key={l.id} className="check">
            <input type="checkbox" checked={draft.lineIds.includes(l.id)} onChange={() => set({ lineIds: toggle(draft.lineIds, l.id) })} />
            {l.name} ({l.number})
          </label>
        ))}
      </fieldset>
      <label className="field">
        When it answers
        <select value={draft.answerWhen} onChange={(e) => set({ answerWhen: e.target.value as AgentDraft['answerWhen'] })}>
          {Object.entries(whenLabel).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {draft.answerWhen === 'after_hours' ? (
        <fieldset className="checklist">
          <legend>Business hours (the agent answers outside them)</legend>
          <label className="field">
            Time zone
            <input value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />
          </label>
          <div className="agents-days">
            {DAY_NAMES.map((day, i) => (
              <label key={day} className="check">
                <input type="checkbox" checked={draft.days.includes(i)} onChange={() => set({ days: toggle(draft.days, i) })} />
                {day}
              </label>
            ))}
          </div>
          <div className="automation-row">
            <label className="field">
              Opens
              <input type="time" value={draft.opens} onChange={(e) => set({ opens: e.target.value })} />
            </label>
            <label className="field">
              Closes
              <input type="time" value={draft.closes} onChange={(e) => set({ closes: e.target.value })} />
            </label>
          </div>
        </fieldset>
      ) : null}
      <label className="field">
        Greeting (what callers hear first)
        <textarea value={draft.greeting} maxLength={500} rows={2} onChange={(e) => set({ greeting: e.target.value })} />
      </label>
      <label className="field">
        Goals (what the agent is there to do)
        <textarea value={draft.goals} maxLength={2000} rows={3} onChange={(e) => set({ goals: e.target.value })} placeholder="Book facials, answer directions, put urgent callers through to the nurse." />
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Answers calls (turn off to keep the agent without it answering)
      </label>
      <div className="automation-row">
        <button type="submit">{props.agent ? 'Save settings' : 'Create agent'}</button>
      </div>
    </form>
  );
}
