import { useState, type DragEvent, type KeyboardEvent } from 'react';
import type { Step } from '../../../shared/cloud/workflows';
import { actionLabels, stepSummary } from './action-catalog';
import { useAutomation } from './automation-store';
import type { StepListRef } from './builder-reducer';
import { focusNextFrame } from '../../lib/focus-next-frame';

/**
 * The vertical flow: a + between every two steps (and at the ends) opens the action panel there;
 * If/Else steps draw their branches side by side, each its own flow. Reorder by dragging a card
 * onto a +, or by keyboard: the card's Move up / Move down buttons, or Alt+↑ / Alt+↓ on the card.
 */

export interface FlowHandlers {
  add(list: StepListRef, index: number): void;
  edit(step: Step): void;
}

const DRAG_TYPE = 'application/x-aesthetix-step';

function AddHere(props: { list: StepListRef; index: number; label: string; handlers: FlowHandlers }) {
  const dispatch = useAutomation((s) => s.dispatch);
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const stepId = event.dataTransfer.getData(DRAG_TYPE);
    if (stepId) dispatch({ type: 'moveStepTo', stepId, list: props.list, index: props.index });
  };
  return (
    <div
      className={`flow-add${over ? ' drop-over' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <button type="button" className="add-step" aria-label={props.label} onClick={() => props.handlers.add(props.list, props.index)}>
        +
      </button>
    </div>
  );
}

function StepCard(props: { step: Step; index: number; count: number; handlers: FlowHandlers; where: string }) {
  const { step, index, count, handlers } = props;
  const dispatch = useAutomation((s) => s.dispatch);
  const move = (delta: -1 | 1) => {
    dispatch({ type: 'moveStep', stepId: step.id, delta });
    focusNextFrame(() => document.getElementById(`step-${step.id}`));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget || !event.altKey) return;
    const delta = event.key === 'ArrowUp' && index > 0 ? -1 : event.key === 'ArrowDown' && index < count - 1 ? 1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    move(delta);
  };
  const label = step.type === 'if_else' ? 'If/Else' : actionLabels[step.type];
  return (
    <article
      id={`step-${step.id}`} className={`step-card step-${step.type}`} tabIndex={0} draggable aria-label={`Step ${index + 1}${props.where}: ${step.name}`}
      onDragStart={(e) => {
        e.stopPropagation();
        e.dataTransfer.setData(DRAG_TYPE, step.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onKeyDown={onKeyDown}
    >
      <div className="step-head">
        <span className="drag-handle" aria-hidden="true">⠿</span>
        <div>
          <strong>{step.name}</strong>
          <span className="muted"> · {label}</span>
          <div className="muted">{stepSummary(step)}</div>
        </div>
      </div>
      <div className="automation-row step-tools">
        <button type="button" onClick={() => handlers.edit(step)} aria-label={`Edit ${step.name}`}>
          Edit
        </button>
        <button type="button" disabled={index === 0} onClick={() => move(-1)} aria-label={`Move ${step.name} up`}>
          ↑
        </button>
        <button type="button" disabled={index === count - 1} onClick={() => move(1)} aria-label={`Move ${step.name} down`}>
          ↓
        </button>
        <button type="button" className="danger" onClick={() => dispatch({ type: 'removeStep', stepId: step.id })} aria-label={`Delete ${step.name}`}>
          Delete
        </button>
      </div>
      {step.type === 'if_else' ? (
        <div className="branches">
          {step.branches.map((b) => (
            <section key={b.id} className="branch" aria-label={`Branch ${b.name}`}>
              <h4>{b.name}</h4>
              <p className="muted">
                {b.conditions.rules.map((r) => `${r.field} ${r.operator.replace(/_/g, ' ')}${r.value ? ` ${r.value}` : ''}`).join(b.conditions.match === 'all' ? ' and ' : ' or ')}
              </p>
              <StepList steps={b.steps} list={{ kind: 'branch', stepId: step.id, branchId: b.id }} handlers={handlers} where={` in ${b.name}`} />
            </section>
          ))}
          <section className="branch" aria-label="Branch None">
            <h4>None</h4>
            <p className="muted">When no branch matches</p>
            <StepList steps={step.elseSteps} list={{ kind: 'else', stepId: step.id }} handlers={handlers} where=" in None" />
          </section>
        </div>
      ) : null}
    </article>
  );
}

export function StepList(props: { steps: readonly Step[]; list: StepListRef; handlers: FlowHandlers; where?: string }) {
  const where = props.where ?? '';
  return (
    <ol className="flow">
      <li className="flow-gap">
        <AddHere list={props.list} index={0} handlers={props.handlers} label={props.steps.length === 0 ? `Add the first action${where}` : `Add an action before step 1${where}`} />
      </li>
      {props.steps.map((step, i) => (
        <li key={step.id}>
          <StepCard step={step} index={i} count={props.steps.length} handlers={props.handlers} where={where} />
          <AddHere list={props.list} index={i + 1} handlers={props.handlers} label={`Add an action after step ${i + 1}${where}`} />
        </li>
      ))}
    </ol>
  );
}
