import { useId, useMemo, useState, type FormEvent } from 'react';
import { canonicalFromEmails } from '../../../shared/cloud/sending-domain-rules';
import { triggerLinkProblems } from '../../../shared/cloud/trigger-link-fields';
import { completeStepSchema, type ActionStep, type ActionType, type Step } from '../../../shared/cloud/workflows';
import { ModalDialog } from '../../ui/ModalDialog';
import { actionsIn, asShown, categoryLabels, entryLabel, newStep, type Category } from './action-catalog';
import { useAutomation } from './automation-store';
import { nextStepId, usedIds } from './builder-reducer';
import { CallPanel, LogExternalCallPanel, ManualCallPanel, ReviewRequestPanel, SendEmailPanel, SlackPanel, SmsPanel, VoicemailPanel } from './comm-panels';
import { AssignUserPanel, CreateContactPanel, DndPanel, IfElsePanel, TagPanel, UpdateFieldPanel, WaitPanel } from './contact-flow-panels';
import { TextField } from './fields';
import { InternalNotificationPanel } from './notification-panel';
import type { PanelProps } from './panel-types';
import { focusNextFrame } from '../../lib/focus-next-frame';

/** Lists typed as text keep trailing blanks while editing; drop them before validating. */
function tidy(step: Step): Step {
  if (step.type === 'if_else') return step;
  const config = { ...(step.config as Record<string, unknown>) };
  for (const key of ['tags', 'cc', 'bcc', 'customEmails', 'attachmentUrls']) {
    if (Array.isArray(config[key])) config[key] = (config[key] as string[]).map((s) => s.trim()).filter(Boolean);
  }
  return { ...step, config } as Step;
}

/**
 * zod's issues as inline messages keyed by config path (`fromEmail`) — or by top path (`name`,
 * `branches.0.name`) — and the trigger links the step names wrongly, once the practice's links are
 * known (`liveLinkKeys`; null: not loaded, the cloud still checks on save).
 */
function validate(step: Step, liveLinkKeys: ReadonlySet<string> | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (liveLinkKeys) for (const p of triggerLinkProblems([step], liveLinkKeys)) errors[p.field] ??= p.message;
  const result = completeStepSchema.safeParse(step);
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const key = path[0] === 'config' ? path.slice(1).join('.') : path.join('.');
    const message = issue.code === 'too_small' && issue.minimum === 1 ? 'Required' : issue.message;
    errors[key || 'config'] ??= message;
  }
  return errors;
}

function Body(props: { step: Step; setStep: (s: Step) => void; errors: Record<string, string> }) {
  const { step, setStep, errors } = props;
  const trigger = useAutomation((s) => s.builder.doc.trigger?.type ?? null);
  const options = useAutomation((s) => s.options);
  const doc = useAutomation((s) => s.builder.doc);
  if (step.type === 'if_else') {
    return (
      <IfElsePanel
        step={step} errors={errors} onChange={setStep}
        newBranchId={() => {
          const used = usedIds(doc);
          for (const b of step.branches) used.add(b.id);
          for (let n = 1; ; n += 1) if (!used.has(`${step.id}_b${n}`)) return `${step.id}_b${n}`;
        }}
      />
    );
  }
  const common = {
    errors, trigger, options,
    set: (patch: object) => setStep({ ...step, config: { ...step.config, ...patch } } as Step),
    replace: (config: object) => setStep({ ...step, config } as Step),
  };
  // One cast here: each panel sees its own step type (the switch below narrows `step.type`).
  const p = <T extends ActionStep['type']>(_type: T) => ({ ...common, step }) as unknown as PanelProps<Extract<ActionStep, { type: T }>>;
  switch (step.type) {
    case 'send_email': return <SendEmailPanel {...p('send_email')} />;
    case 'send_sms': case 'manual_sms': return <SmsPanel {...p('manual_sms')} />;
    case 'slack': return <SlackPanel {...p('slack')} />;
    case 'call': return <CallPanel {...p('call')} />;
    case 'voicemail_drop': return <VoicemailPanel {...p('voicemail_drop')} />;
    case 'manual_call': return <ManualCallPanel {...p('manual_call')} />;
    case 'internal_notification': return <InternalNotificationPanel {...p('internal_notification')} />;
    case 'review_request': return <ReviewRequestPanel {...p('review_request')} />;
    case 'log_external_call': return <LogExternalCallPanel {...p('log_external_call')} />;
    case 'dnd': return <DndPanel {...p('dnd')} />;
    case 'add_tag': case 'remove_tag': return <TagPanel {...p('remove_tag')} />;
    case 'assign_user': return <AssignUserPanel {...p('assign_user')} />;
    case 'create_update_contact': return <CreateContactPanel {...p('create_update_contact')} />;
    case 'update_contact_field': return <UpdateFieldPanel {...p('update_contact_field')} />;
    case 'wait': return <WaitPanel {...p('wait')} />;
  }
}

/**
 * The action panel the + opens (categories first: Communication, Contact, Flow) or a step's Edit
 * opens: Action Name, the action's fields with inline validation, Save Action.
 */
export function ActionPanel(props: { editing: Step | null; onSave: (step: Step) => void; onClose: () => void }) {
  const doc = useAutomation((s) => s.builder.doc);
  const options = useAutomation((s) => s.options);
  const [step, setStep] = useState<Step | null>(() => (props.editing ? asShown(props.editing, options?.sendingDomains ?? []) : null));
  const [tried, setTried] = useState(false);
  const titleId = useId();
  const liveLinkKeys = useMemo(() => (options ? new Set(options.triggerLinks.map((l) => l.key)) : null), [options]);
  const errors = useMemo(() => (step && tried ? validate(tidy(step), liveLinkKeys) : {}), [step, tried, liveLinkKeys]);
  const choose = (entry: ActionType | 'if_else') => setStep(newStep(entry, nextStepId(doc, entry)));
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!step) return;
    const clean = tidy(step);
    setTried(true);
    if (Object.keys(validate(clean, liveLinkKeys)).length > 0) {
      focusNextFrame(() => document.querySelector<HTMLElement>('.action-panel [aria-invalid="true"]'));
      return;
    }
    // Kept as the cloud stores it (an international From Email in xn--): the draft does not differ from what is saved.
    props.onSave(canonicalFromEmails([clean])[0]!);
  };
  return (
    <ModalDialog labelledBy={titleId} onClose={props.onClose} className="action-panel">
      {step === null ? (
        <div>
          <h2 id={titleId}>Add an action</h2>
          {(Object.keys(categoryLabels) as Category[]).map((category) => (
            <section key={category} aria-labelledby={`${titleId}-${category}`}>
              <h3 id={`${titleId}-${category}`}>{categoryLabels[category]}</h3>
              <ul className="action-choices">
                {actionsIn(category).map((entry) => (
                  <li key={entry}>
                    <button type="button" onClick={() => choose(entry)}>
                      {entryLabel(entry)}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      ) : (
        <form onSubmit={save} noValidate>
          <h2 id={titleId}>{step.type === 'if_else' ? 'If/Else' : entryLabel(step.type)}</h2>
          <TextField label="Action Name" value={step.name} onChange={(name) => setStep({ ...step, name } as Step)} error={errors.name} required />
          <Body step={step} setStep={setStep} errors={errors} />
          {tried && Object.keys(errors).length > 0 ? (
            <p className="field-error" role="alert">
              Fix the {Object.keys(errors).length === 1 ? 'field' : `${Object.keys(errors).length} fields`} marked above.
            </p>
          ) : null}
          <div className="automation-row panel-actions">
            <button type="submit">Save Action</button>
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}

