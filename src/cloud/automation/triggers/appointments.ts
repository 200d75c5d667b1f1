import type { Queryable } from '../../db';
import type { DomainEvent } from '../../events/domain-events';
import { enrol, publishedWorkflows, type TriggerEnv } from './enrol';

/**
 * Appointment Booked / Appointment Status Changed. Filters: provider, calendar, and (status
 * changed) the new status. The run carries the appointment, so its merge fields
 * (`{{appointment.start_time}}`) and the Wait-until-appointment step can use it.
 */
export async function appointmentTrigger(tx: Queryable, env: TriggerEnv, event: DomainEvent): Promise<void> {
  if (!event.appointmentId || !event.contactId) return;
  const type = event.type === 'appointment.booked' ? 'appointment_booked' : 'appointment_status_changed';
  const workflows = await publishedWorkflows(tx, event.accountId, [type]);
  if (workflows.length === 0) return;
  const rows = await tx.query<{ provider_id: string | null; calendar: string | null; status: string }>(
    `SELECT provider_id, calendar, status FROM appointments WHERE id = $1 AND account_id = $2`,
    [event.appointmentId, event.accountId],
  );
  const appointment = rows[0];
  if (!appointment) return;
  const status = String(event.payload.status ?? appointment.status);
  for (const workflow of workflows) {
    const trigger = workflow.plan.document.trigger;
    if (trigger?.type !== 'appointment_booked' && trigger?.type !== 'appointment_status_changed') continue;
    const f = trigger.filters;
    if (f.providerIds?.length && (!appointment.provider_id || !f.providerIds.includes(appointment.provider_id))) continue;
    if (f.calendars?.length && (!appointment.calendar || !f.calendars.some((c) => c.toLowerCase() === appointment.calendar!.toLowerCase()))) continue;
    if (trigger.type === 'appointment_status_changed' && trigger.filters.statuses?.length && !trigger.filters.statuses.includes(status as never)) continue;
    await enrol(tx, env, workflow, {
      accountId: event.accountId, contactId: event.contactId, trigger: event.type, eventId: event.id,
      occurrenceKey: `event:${event.id}`, context: { appointmentId: event.appointmentId },
    });
  }
}
