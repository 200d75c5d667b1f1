import type { ActionStep, IfElseStep } from '../../../shared/cloud/workflows';
import { conditionOperators } from '../../../shared/cloud/workflows';
import { CheckField, ChecklistField, ListField, NumberField, SelectField, TextField } from './fields';
import { userOptions, type PanelProps } from './panel-types';

/** The Contact and Flow categories' panels, and the If/Else panel. */

type Of<T extends ActionStep['type']> = PanelProps<Extract<ActionStep, { type: T }>>;

export function DndPanel({ step, set, errors }: Of<'dnd'>) {
  const c = step.config;
  return (
    <>
      <SelectField label="DND" value={c.action} options={[{ value: 'enable', label: 'Enable DND' }, { value: 'disable', label: 'Disable DND' }]} onChange={(action) => set({ action })} />
      <SelectField label="Direction" value={c.direction} options={[{ value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }, { value: 'both', label: 'Both' }]} onChange={(direction) => set({ direction })} />
      <ChecklistField
        legend="Channels (none ticked: every channel)" value={c.channels} onChange={(channels) => set({ channels })} error={errors.channels}
        options={[{ value: 'call', label: 'Calls' }, { value: 'sms', label: 'SMS' }, { value: 'email', label: 'Email' }, { value: 'whatsapp', label: 'WhatsApp' }] as never}
      />
    </>
  );
}

export function TagPanel({ step, set, errors }: Of<'add_tag'> | Of<'remove_tag'>) {
  return <ListField label="Tags" value={step.config.tags} onChange={(tags) => set({ tags })} error={errors.tags ?? errors['tags.0']} />;
}

export function AssignUserPanel({ step, set, errors, options }: Of<'assign_user'>) {
  return (
    <>
      <ChecklistField legend="Users (several share the contacts evenly)" options={userOptions(options)} value={step.config.userIds} onChange={(userIds) => set({ userIds })} error={errors.userIds} />
      <CheckField label="Only if the contact is unassigned" checked={step.config.onlyIfUnassigned} onChange={(onlyIfUnassigned) => set({ onlyIfUnassigned })} />
    </>
  );
}

export function CreateContactPanel({ step, set, errors, trigger }: Of<'create_update_contact'>) {
  const c = step.config;
  return (
    <>
      <TextField label="Phone" value={c.phone} onChange={(phone) => set({ phone })} merge={{ trigger }} error={errors.phone} hint="The contact is found by this number (never duplicated) or created." />
      <TextField label="Name" value={c.name} onChange={(name) => set({ name })} merge={{ trigger }} error={errors.name} />
      <TextField label="Email" value={c.email} onChange={(email) => set({ email })} merge={{ trigger }} error={errors.email} />
      <ListField label="Tags" value={c.tags} onChange={(tags) => set({ tags })} error={errors.tags} />
    </>
  );
}

export function UpdateFieldPanel({ step, set, errors, trigger }: Of<'update_contact_field'>) {
  const c = step.config;
  const custom = c.field.startsWith('custom_fields.');
  return (
    <>
      <SelectField
        label="Field" value={custom ? 'custom' : c.field} onChange={(v) => set({ field: v === 'custom' ? 'custom_fields.' : v })}
        options={[{ value: 'name', label: 'Name' }, { value: 'email', label: 'Email' }, { value: 'phone', label: 'Phone' }, { value: 'custom', label: 'A custom field' }]}
      />
      {custom ? <TextField label="Custom field key" value={c.field.slice('custom_fields.'.length)} onChange={(k) => set({ field: `custom_fields.${k}` })} error={errors.field} /> : null}
      <TextField label="Value" value={c.value} onChange={(value) => set({ value })} merge={{ trigger }} error={errors.value} hint="Empty clears the field." />
    </>
  );
}

const units = [{ value: 'minutes', label: 'Minutes' }, { value: 'hours', label: 'Hours' }, { value: 'days', label: 'Days' }] as const;

export function WaitPanel({ step, replace, errors, trigger }: Of<'wait'>) {
  const c = step.config;
  return (
    <>
      <SelectField
        label="Wait for" value={c.mode}
        options={[{ value: 'duration', label: 'A set time' }, { value: 'appointment', label: 'A time before or after the appointment' }]}
        onChange={(mode) => replace(mode === 'duration' ? { mode, amount: 1, unit: 'days' } : { mode, amount: 24, unit: 'hours', relation: 'before', ifPast: 'skip_next' })}
      />
      <NumberField label="Amount" value={c.amount} min={c.mode === 'duration' ? 1 : 0} onChange={(amount) => replace({ ...c, amount })} error={errors.amount} />
      <SelectField label="Unit" value={c.unit} options={units} onChange={(unit) => replace({ ...c, unit })} />
      {c.mode === 'appointment' ? (
        <>
          {trigger !== 'appointment_booked' && trigger !== 'appointment_status_changed' ? <p className="field-warning">Waiting on an appointment needs an appointment trigger.</p> : null}
          <SelectField label="Before or after" value={c.relation} options={[{ value: 'before', label: 'Before the start' }, { value: 'after', label: 'After the start' }]} onChange={(relation) => replace({ ...c, relation })} />
          <SelectField
            label="If that time has already passed" value={c.ifPast} onChange={(ifPast) => replace({ ...c, ifPast })}
            options={[{ value: 'skip_next', label: 'Skip the next step and go on' }, { value: 'continue', label: 'Go on at once' }, { value: 'end', label: 'End the run' }]}
          />
        </>
      ) : null}
    </>
  );
}

const operatorLabels: Record<(typeof conditionOperators)[number], string> = {
  equals: 'is', not_equals: 'is not', contains: 'contains', not_contains: 'does not contain', starts_with: 'starts with', ends_with: 'ends with',
  is_empty: 'is empty', is_not_empty: 'is not empty', greater_than: 'is greater than', less_than: 'is less than', has_tag: 'has tag', not_has_tag: 'does not have tag',
};

/** If/Else: each branch's name and conditions (checked in order; None runs when no branch matches). */
export function IfElsePanel(props: { step: IfElseStep; onChange: (step: IfElseStep) => void; errors: Record<string, string>; newBranchId: () => string }) {
  const { step, onChange, errors } = props;
  const setBranch = (i: number, patch: Partial<IfElseStep['branches'][number]>) => onChange({ ...step, branches: step.branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  return (
    <>
      {step.branches.map((b, i) => (
        <fieldset key={b.id} className="branch-editor">
          <legend>Branch {i + 1}</legend>
          <TextField label="Branch name" value={b.name} onChange={(name) => setBranch(i, { name })} error={errors[`branches.${i}.name`]} />
          <SelectField label="Match" value={b.conditions.match} options={[{ value: 'all', label: 'All conditions' }, { value: 'any', label: 'Any condition' }]} onChange={(match) => setBranch(i, { conditions: { ...b.conditions, match } })} />
          {b.conditions.rules.map((r, k) => {
            const setRule = (patch: Partial<typeof r>) => setBranch(i, { conditions: { ...b.conditions, rules: b.conditions.rules.map((x, y) => (y === k ? { ...x, ...patch } : x)) } });
            return (
              <div key={k} className="automation-row rule">
                <TextField label={`Condition ${k + 1} field`} value={r.field} onChange={(field) => setRule({ field })} error={errors[`branches.${i}.conditions.rules.${k}.field`]} placeholder="contact.email" />
                <SelectField label="Operator" value={r.operator} options={conditionOperators.map((o) => ({ value: o, label: operatorLabels[o] }))} onChange={(operator) => setRule({ operator })} />
                {r.operator === 'is_empty' || r.operator === 'is_not_empty' ? null : <TextField label="Value" value={r.value ?? ''} onChange={(value) => setRule({ value })} />}
                <button type="button" disabled={b.conditions.rules.length <= 1} onClick={() => setBranch(i, { conditions: { ...b.conditions, rules: b.conditions.rules.filter((_, y) => y !== k) } })}>
                  Remove condition {k + 1}
                </button>
              </div>
            );
          })}
          <div className="automation-row">
            <button type="button" onClick={() => setBranch(i, { conditions: { ...b.conditions, rules: [...b.conditions.rules, { field: 'contact.tags', operator: 'has_tag', value: '' }] } })}>
              + Add condition
            </button>
            <button type="button" disabled={step.branches.length <= 1} onClick={() => onChange({ ...step, branches: step.branches.filter((_, j) => j !== i) })}>
              Remove branch {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button" disabled={step.branches.length >= 10}
        onClick={() => onChange({ ...step, branches: [...step.branches, { id: props.newBranchId(), name: `Branch ${step.branches.length + 1}`, conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [] }] })}
      >
        + Add branch
      </button>
      <p className="muted">Branches are checked in order; the first that matches runs. None (else) runs when no branch matches.</p>
    </>
  );
}
