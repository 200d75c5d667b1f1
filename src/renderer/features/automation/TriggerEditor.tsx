import { appointmentStatuses, callStatusFilterValues, type TagFilter, type Trigger, type TriggerType } from '../../../shared/cloud/workflows';
import { newTrigger, triggerLabels } from './action-catalog';
import { useAutomation } from './automation-store';
import { ChecklistField, ListField, NumberField, SelectField } from './fields';
import { WebhookUrl } from './settings/WebhookUrl';

/** The trigger and its filters (Call Details with Custom Disposition, direction, duration, status, line, tags…). */

const none = '' as const;
const listOrUndefined = <T,>(list: T[]): T[] | undefined => (list.length ? list : undefined);

function TagFilterFields(props: { value: TagFilter | undefined; onChange: (value: TagFilter | undefined) => void }) {
  const v = props.value ?? {};
  const set = (patch: Partial<TagFilter>) => {
    const next = { ...v, ...patch };
    for (const k of ['any', 'all', 'none'] as const) if (!next[k]?.length) delete next[k];
    props.onChange(Object.keys(next).length ? next : undefined);
  };
  return (
    <fieldset className="field">
      <legend>Contact tags</legend>
      <ListField label="Has any of" value={v.any ?? []} onChange={(any) => set({ any: any.filter(Boolean) })} />
      <ListField label="Has all of" value={v.all ?? []} onChange={(all) => set({ all: all.filter(Boolean) })} />
      <ListField label="Has none of" value={v.none ?? []} onChange={(n) => set({ none: n.filter(Boolean) })} />
    </fieldset>
  );
}

function CallDetailsFilters(props: { trigger: Extract<Trigger, { type: 'call_details' }>; onChange: (t: Trigger) => void }) {
  const options = useAutomation((s) => s.options);
  const f = props.trigger.filters;
  const set = (patch: Partial<typeof f>) => {
    const next = { ...f, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete (next as Record<string, unknown>)[k];
    props.onChange({ type: 'call_details', filters: next });
  };
  const live = (options?.dispositions ?? []).filter((d) => d.deletedAt === null);
  const gone = (f.dispositionIds ?? []).filter((id) => !live.some((d) => d.id === id));
  return (
    <>
      <ChecklistField
        legend="Custom Disposition (fires when a call's disposition is set or changed to one of these; none ticked: when the call ends)"
        options={[...live.map((d) => ({ value: d.id, label: d.label })), ...gone.map((id) => ({ value: id, label: `${options?.dispositions.find((d) => d.id === id)?.label ?? id} (deleted)` }))]}
        value={f.dispositionIds ?? []} onChange={(ids) => set({ dispositionIds: listOrUndefined(ids) })}
        error={gone.length ? 'A chosen disposition was deleted: untick it before publishing.' : undefined}
      />
      <SelectField label="Direction" value={f.direction ?? none} options={[{ value: none, label: 'Any' }, { value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }]} onChange={(d) => set({ direction: d || undefined })} />
      <div className="automation-row">
        <NumberField label="Duration at least (s)" value={f.durationSeconds?.gte ?? Number.NaN} min={0} onChange={(gte) => set({ durationSeconds: dur(f.durationSeconds, { gte }) })} />
        <NumberField label="Duration at most (s)" value={f.durationSeconds?.lte ?? Number.NaN} min={0} onChange={(lte) => set({ durationSeconds: dur(f.durationSeconds, { lte }) })} />
      </div>
      <ChecklistField legend="Call status" options={callStatusFilterValues.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))} value={f.callStatus ?? []} onChange={(s) => set({ callStatus: listOrUndefined(s) })} />
      <ChecklistField legend="Line (number called or called from)" options={(options?.numbers ?? []).map((n) => ({ value: n.id, label: `${n.name} (${n.number})` }))} value={f.phoneNumberIds ?? []} onChange={(ids) => set({ phoneNumberIds: listOrUndefined(ids) })} />
      <TagFilterFields value={f.contactTags} onChange={(contactTags) => set({ contactTags })} />
    </>
  );
}

function dur(current: { gte?: number; lte?: number } | undefined, patch: { gte?: number; lte?: number }) {
  const next = { ...current, ...patch };
  for (const k of ['gte', 'lte'] as const) if (next[k] === undefined || !Number.isFinite(next[k])) delete next[k];
  return Object.keys(next).length ? next : undefined;
}

function AppointmentFilters(props: { trigger: Extract<Trigger, { type: 'appointment_booked' | 'appointment_status_changed' }>; onChange: (t: Trigger) => void }) {
  const options = useAutomation((s) => s.options);
  const t = props.trigger;
  const set = (patch: Record<string, unknown>) => {
    const filters = { ...t.filters, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(filters)) if (v === undefined) delete filters[k];
    props.onChange({ ...t, filters } as Trigger);
  };
  return (
    <>
      {t.type === 'appointment_status_changed' ? (
        <ChecklistField legend="Changed to" options={appointmentStatuses.map((s) => ({ value: s, label: s.replace('_', '-') }))} value={t.filters.statuses ?? []} onChange={(s) => set({ statuses: listOrUndefined(s) })} />
      ) : null}
      <ChecklistField legend="Provider" options={(options?.users ?? []).map((u) => ({ value: u.id, label: u.name }))} value={t.filters.providerIds ?? []} onChange={(ids) => set({ providerIds: listOrUndefined(ids) })} />
      <ListField label="Calendars" value={t.filters.calendars ?? []} onChange={(c) => set({ calendars: listOrUndefined(c.filter(Boolean)) })} />
    </>
  );
}

export function TriggerEditor() {
  const trigger = useAutomation((s) => s.builder.doc.trigger);
  const dispatch = useAutomation((s) => s.dispatch);
  const onChange = (t: Trigger | null) => dispatch({ type: 'setTrigger', trigger: t });
  return (
    <section className="trigger-card" aria-labelledby="trigger-heading">
      <h3 id="trigger-heading">Trigger</h3>
      <SelectField<TriggerType | ''>
        label="When" value={trigger?.type ?? ''}
        options={[{ value: '', label: 'Choose a trigger' }, ...(Object.keys(triggerLabels) as TriggerType[]).map((t) => ({ value: t, label: triggerLabels[t] }))]}
        onChange={(type) => onChange(type ? newTrigger(type) : null)}
      />
      {trigger?.type === 'call_details' ? <CallDetailsFilters trigger={trigger} onChange={onChange} /> : null}
      {trigger?.type === 'contact_created' ? <TagFilterFields value={trigger.filters.contactTags} onChange={(contactTags) => onChange({ type: 'contact_created', filters: contactTags ? { contactTags } : {} })} /> : null}
      {trigger?.type === 'contact_tag_added' || trigger?.type === 'contact_tag_removed' ? (
        <ListField
          label="Tags" value={trigger.filters.tags} onChange={(tags) => onChange({ type: trigger.type, filters: { tags: tags as [string] } })}
          error={trigger.filters.tags.filter((t) => t.trim()).length === 0 ? 'Name at least one tag.' : undefined}
        />
      ) : null}
      {trigger?.type === 'appointment_booked' || trigger?.type === 'appointment_status_changed' ? <AppointmentFilters trigger={trigger} onChange={onChange} /> : null}
      {trigger?.type === 'inbound_webhook' ? <WebhookUrl /> : null}
      {trigger?.type === 'manual' ? <p className="muted">Contacts enter only when someone enrols them (from a contact, or another feature).</p> : null}
    </section>
  );
}
