import { useId, type ReactNode } from 'react';
import { NONE } from '../../lib/none';
import { usePractice } from '../../state/practice';
import { useAgents } from './agents-store';
import type { ActionDraft } from './action-form';

type Change = (patch: Partial<ActionDraft>) => void;

const BUILT_IN_FIELDS = [
  { field: 'name', label: 'Name' },
  { field: 'email', label: 'Email' },
];

interface Wiring {
  id: string;
  'aria-describedby'?: string;
}

/** A labelled input with its help text as the input's description. */
function Field(props: { label: string; help?: string; children: (wiring: Wiring) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(props.help ? { id, 'aria-describedby': `${id}-help` } : { id })}
      {props.help ? (
        <small id={`${id}-help`} className="agents-help">
          {props.help}
        </small>
      ) : null}
    </div>
  );
}

function Picker(props: { label: string; value: string; onChange: (v: string) => void; items: ReadonlyArray<{ id: string; name: string }>; none: string }) {
  return (
    <Field label={props.label} help={props.items.length === 0 ? props.none : undefined}>
      {(w) => (
        <select {...w} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">Choose…</option>
          {props.items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function Condition(props: { draft: ActionDraft; onChange: Change; example: string }) {
  return (
    <Field label="When (in words)" help="The agent uses this card when the conversation matches it. Leave empty to let the agent decide from the card’s type.">
      {(w) => (
        <input {...w} value={props.draft.condition} maxLength={300} placeholder={props.example} onChange={(e) => props.onChange({ condition: e.target.value })} />
      )}
    </Field>
  );
}

/** The details of one card, by type (Call Transfer, Trigger Workflow, Send SMS, Book Appointment, Custom Action, Update Contact Fields). */
export function ActionFields(props: { draft: ActionDraft; onChange: Change }) {
  const { draft: d, onChange } = props;
  const o = useAgents((s) => s.options);
  const users = o?.users ?? [];
  const contactFields = o?.contactFields ?? BUILT_IN_FIELDS;
  const locations = (usePractice((s) => s.directory?.locations) ?? NONE).filter((l) => !l.deletedAt);
  return (
    <div className="agent-fields">
      <Field label="Card name">
        {(w) => (
          <input {...w} value={d.name} maxLength={60} onChange={(e) => onChange({ name: e.target.value })} />
        )}
      </Field>
      {d.type === 'call_transfer' ? (
        <>
          <Field label="Transfer to">
            {(w) => (
              <select {...w} value={d.targetKind} onChange={(e) => onChange({ targetKind: e.target.value as ActionDraft['targetKind'] })}>
                <option value="user">A team member</option>
                <option value="team">A team</option>
                <option value="number">A phone number</option>
              </select>
            )}
          </Field>
          {d.targetKind === 'user' ? <Picker label="Team member" value={d.userId} onChange={(userId) => onChange({ userId })} items={users} none="No team members to choose." /> : null}
          {d.targetKind === 'team' ? <Picker label="Team" value={d.teamId} onChange={(teamId) => onChange({ teamId })} items={o?.teams ?? []} none="No teams yet (create one under Team)." /> : null}
          {d.targetKind === 'number' ? (
            <Field label="Number" help="In international format, e.g. +13105550199. Like the dialer, only countries your practice’s call policy allows (Settings → Call policy).">
              {(w) => (
                <input {...w} type="tel" value={d.number} onChange={(e) => onChange({ number: e.target.value })} />
              )}
            </Field>
          ) : null}
          <Condition draft={d} onChange={onChange} example="caller asks for a nurse" />
        </>
      ) : null}
      {d.type === 'trigger_workflow' ? (
        <>
          <Picker label="Workflow" value={d.workflowId} onChange={(workflowId) => onChange({ workflowId })} items={o?.workflows ?? []} none="No workflows yet (build one under Automation)." />
          <p className="agents-help">The workflow receives the call as custom values: callId, callerNumber, agentName and request.</p>
          <Condition draft={d} onChange={onChange} example="caller wants a call back tomorrow" />
        </>
      ) : null}
      {d.type === 'send_sms' ? (
        <>
          <Field label="Message" help="Sent to the caller. Merge fields: {{contact.first_name}}, {{contact.name}}, {{caller.number}}, {{practice.name}}.">
            {(w) => (
              <textarea {...w} value={d.message} maxLength={1000} rows={3} onChange={(e) => onChange({ message: e.target.value })} />
            )}
          </Field>
          <Condition draft={d} onChange={onChange} example="caller asks for directions" />
        </>
      ) : null}
      {d.type === 'book_appointment' ? (
        <>
          <Picker label="Provider" value={d.providerId} onChange={(providerId) => onChange({ providerId })} items={users} none="No team members to choose." />
          <Picker label="Location (optional)" value={d.locationId} onChange={(locationId) => onChange({ locationId })} items={locations} none="No locations to choose: the booking has no location." />
          <Field label="Calendar (optional)" help="What is booked, e.g. Facials.">
            {(w) => (
              <input {...w} value={d.calendar} maxLength={80} onChange={(e) => onChange({ calendar: e.target.value })} />
            )}
          </Field>
          <Field label="Durations (minutes)" help="The lengths a caller may book, comma separated (up to 6).">
            {(w) => (
              <input {...w} value={d.durations} inputMode="numeric" onChange={(e) => onChange({ durations: e.target.value })} />
            )}
          </Field>
          <Field label="Lead time (minutes)" help="The earliest a booking may start, from now. Times already taken are refused.">
            {(w) => (
              <input {...w} value={d.leadTimeMinutes} inputMode="numeric" onChange={(e) => onChange({ leadTimeMinutes: e.target.value })} />
            )}
          </Field>
          <Condition draft={d} onChange={onChange} example="caller wants to book a facial" />
        </>
      ) : null}
      {d.type === 'custom_action' ? (
        <>
          <p className="agents-help">Beta: the agent calls your webhook during the call. If it fails or takes over 8 seconds, the caller hears a polite apology.</p>
          <Field label="Webhook URL" help="HTTPS only.">
            {(w) => (
              <input {...w} type="url" value={d.url} onChange={(e) => onChange({ url: e.target.value })} placeholder="https://example.com/order-status" />
            )}
          </Field>
          <Field label="Method">
            {(w) => (
              <select {...w} value={d.method} onChange={(e) => onChange({ method: e.target.value as ActionDraft['method'] })}>
                {(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Headers" help="One a line: Name: value.">
            {(w) => (
              <textarea {...w} value={d.headers} rows={2} onChange={(e) => onChange({ headers: e.target.value })} />
            )}
          </Field>
          <Field label="JSON body" help='Variables: {{caller.number}}, {{caller.name}}, {{call.id}}, inside quotes, e.g. {"phone":"{{caller.number}}"}.'>
            {(w) => (
              <textarea {...w} value={d.body} rows={3} maxLength={10000} onChange={(e) => onChange({ body: e.target.value })} />
            )}
          </Field>
          <Field label="What to say with the response" help="e.g. Your order is {{response.status}}.">
            {(w) => (
              <input {...w} value={d.responseInstruction} maxLength={500} onChange={(e) => onChange({ responseInstruction: e.target.value })} />
            )}
          </Field>
          <Condition draft={d} onChange={onChange} example="caller asks about their order" />
        </>
      ) : null}
      {d.type === 'update_contact_field' ? (
        <>
          <Field label="Contact field" help="Name, email, or one of your practice’s custom contact fields (the ones its contacts have; a workflow’s Update Contact Field step adds new ones).">
            {(w) => (
              <select {...w} value={d.field} onChange={(e) => onChange({ field: e.target.value })}>
                {contactFields.map((f) => (
                  <option key={f.field} value={f.field}>
                    {f.field.startsWith('custom_fields.') ? `Custom: ${f.label}` : f.label}
                  </option>
                ))}
                {contactFields.some((f) => f.field === d.field) ? null : <option value={d.field}>{d.field} (not one of the practice’s fields)</option>}
              </select>
            )}
          </Field>
          <Field label="What to extract" help="The instruction for what to take from the conversation. Each change is in the contact’s audit trail.">
            {(w) => (
              <input {...w} value={d.instruction} maxLength={500} placeholder="the caller's email address" onChange={(e) => onChange({ instruction: e.target.value })} />
            )}
          </Field>
        </>
      ) : null}
    </div>
  );
}
