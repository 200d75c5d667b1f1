import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { ACTION_TYPE_LABELS, type Agent, type AgentAction } from '../../../shared/cloud/agents';
import { ModalDialog } from '../../ui/ModalDialog';
import { ActionDialog } from './ActionDialog';
import { deleteAction } from './agents-actions';
import { useAgents } from './agents-store';
import { describeAction } from './describe-action';
import { agentCounters, type Counter } from './limits';

const TABS = [
  { id: 'during', label: 'During the Call' },
  { id: 'after', label: 'After the Call' },
] as const;

/** A counter with its inline tooltip (shown on hover and keyboard focus, read as its description). */
function CounterBadge(props: { counter: Counter; label: string }) {
  const tipId = useId();
  return (
    <span className={`agent-counter${props.counter.full ? ' full' : ''}`} tabIndex={0} aria-describedby={tipId} aria-label={`${props.label}: ${props.counter.text}`}>
      {props.counter.text}
      <span role="tooltip" id={tipId} className="agent-tooltip">
        {props.counter.tooltip}
      </span>
    </span>
  );
}

function ActionCard(props: { action: AgentAction; options: ReturnType<typeof useAgents.getState>['options']; onEdit: () => void; onDelete: () => void }) {
  const { action } = props;
  const headingId = useId();
  return (
    <li>
      <article className="agent-action-card" aria-labelledby={headingId}>
        <h4 id={headingId}>
          {action.name} <span className="agent-action-type">· {ACTION_TYPE_LABELS[action.config.type]}</span>
        </h4>
        <p>{describeAction(action.config, props.options)}</p>
        <div className="automation-row">
          <button type="button" onClick={props.onEdit} aria-label={`Edit ${action.name}`}>
            Edit
          </button>
          <button type="button" className="danger" onClick={props.onDelete} aria-label={`Delete ${action.name}`}>
            Delete
          </button>
        </div>
      </article>
    </li>
  );
}

/** The agent's cards under During the Call and After the Call, with the limit counters and New Action. */
export function ActionBoard(props: { agent: Agent }) {
  const { agent } = props;
  const tab = useAgents((s) => s.tab);
  const options = useAgents((s) => s.options);
  const setTab = (t: 'during' | 'after') => useAgents.getState().set({ tab: t });
  const [dialog, setDialog] = useState<{ editing: AgentAction | null } | null>(null);
  const [deleting, setDeleting] = useState<AgentAction | null>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const baseId = useId();
  const counters = agentCounters(agent.actions);
  const cards = agent.actions.filter((a) => a.phase === tab).sort((a, b) => a.position - b.position);

  const onTabKey = (event: KeyboardEvent, index: number) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const next = (index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    const target = TABS[next];
    if (!target) return;
    setTab(target.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className="agent-actions" aria-labelledby={`${baseId}-h`}>
      <h3 id={`${baseId}-h`}>Actions</h3>
      <div role="tablist" aria-label="When the actions run" className="agent-tabs">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-${tab}`} className="agent-tabpanel">
        <div className="automation-row agent-counters">
          {tab === 'during' ? (
            <>
              <CounterBadge counter={counters.during} label="Actions during the call" />
              <CounterBadge counter={counters.bookings} label="Book Appointment actions" />
            </>
          ) : (
            <CounterBadge counter={counters.fieldUpdates} label="Contact-field updates after the call" />
          )}
          <button type="button" onClick={() => setDialog({ editing: null })}>
            + New Action
          </button>
        </div>
        {cards.length === 0 ? (
          <p>{tab === 'during' ? 'No actions during the call yet: the agent only talks.' : 'No actions after the call yet: nothing is written to the contact.'}</p>
        ) : (
          <ol className="agent-cards">
            {cards.map((a) => (
              <ActionCard key={a.id} action={a} options={options} onEdit={() => setDialog({ editing: a })} onDelete={() => setDeleting(a)} />
            ))}
          </ol>
        )}
      </div>
      {dialog ? <ActionDialog agent={agent} phase={tab} editing={dialog.editing} onClose={() => setDialog(null)} /> : null}
      {deleting ? (
        <ModalDialog labelledBy={`${baseId}-del`} onClose={() => setDeleting(null)}>
          <h3 id={`${baseId}-del`}>Delete the card {deleting.name}?</h3>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                const card = deleting;
                setDeleting(null);
                void deleteAction(agent.id, card.id, card.name);
              }}
            >
              Delete card
            </button>
            <button type="button" onClick={() => setDeleting(null)}>
              Keep it
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </section>
  );
}
