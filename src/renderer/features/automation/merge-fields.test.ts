import { describe, expect, it } from 'vitest';
import { fieldsIn, freeFormPrefixes, mergeFieldGroups, unsuppliedFields } from './merge-fields';

describe('custom-value picker fields', () => {
  it('offers appointment fields only for appointment triggers and call fields only for Call Details', () => {
    const labels = (t: Parameters<typeof mergeFieldGroups>[0]) => mergeFieldGroups(t).map((g) => g.label);
    expect(labels('appointment_booked')).toEqual(['Contact', 'Assigned user', 'Practice', 'Appointment']);
    expect(labels('call_details')).toEqual(['Contact', 'Assigned user', 'Practice', 'Call']);
    expect(labels('contact_created')).not.toContain('Appointment');
    expect(freeFormPrefixes('inbound_webhook')).toContain('inbound_webhook.');
    expect(freeFormPrefixes('call_details')).not.toContain('custom.');
    // A saved template can serve any workflow: every group, no warning but for unknown fields.
    expect(labels('any')).toEqual(['Contact', 'Assigned user', 'Practice', 'Call', 'Appointment']);
    expect(unsuppliedFields('{{call.disposition}} {{custom.x}} {{contact.nickname}}', 'any').map((w) => w.field)).toEqual(['contact.nickname']);
  });

  it('warns for fields the trigger cannot supply and for unknown fields, not for supplied ones', () => {
    const body = 'Hi {{contact.first_name}}, see you {{ appointment.start_time }} ({{call.disposition}}) {{contact.nickname}} {{contact.custom_fields.plan}}';
    expect(fieldsIn(body)).toHaveLength(5);
    expect(unsuppliedFields(body, 'appointment_booked').map((w) => w.field)).toEqual(['call.disposition', 'contact.nickname']);
    expect(unsuppliedFields(body, 'contact_created').map((w) => w.field)).toEqual(['appointment.start_time', 'call.disposition', 'contact.nickname']);
    expect(unsuppliedFields('{{inbound_webhook.direction}}', 'inbound_webhook')).toEqual([]);
    expect(unsuppliedFields('{{inbound_webhook.direction}}', 'call_details')[0]!.why).toMatch(/Inbound Webhook trigger/);
  });
});
