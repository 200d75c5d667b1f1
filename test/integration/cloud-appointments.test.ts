import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/cloud/automation/merge-data';
import { DEMO_ACCOUNT_ID, DEMO_LOCATIONS, DEMO_USERS } from '../../src/cloud/seed';
import { appointmentSchema } from '../../src/shared/cloud/appointments';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start, pg-boss's schema) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

describe.each(backends)('appointments on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let contactId: string;
  const at = (hours: number): string => new Date(Date.UTC(2031, 0, 6, 9) + hours * 3_600_000).toISOString();
  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    contactId = (await t.api(jordan, 'POST', '/v1/contacts', { name: 'Nora Kim', phone: '+16265559001' })).body.id;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('books, refuses an overlap for the same provider (409), frees the slot when cancelled', async () => {
    const book = (body: Record<string, unknown>) => t.api(jordan, 'POST', '/v1/appointments', { contactId, providerId: DEMO_USERS.admin.id, ...body });
    const first = await book({ startsAt: at(0), durationMinutes: 60, calendar: 'Injectables', title: 'Botox consult' });
    expect(first.status).toBe(201);
    expect(appointmentSchema.parse(first.body)).toMatchObject({ status: 'booked', endsAt: at(1), calendar: 'Injectables' });
    const clash = await book({ startsAt: at(0.5), durationMinutes: 60 });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('CONFLICT');
    expect((await book({ startsAt: at(1), durationMinutes: 30 })).status).toBe(201); // back to back is fine
    expect((await t.api(jordan, 'POST', '/v1/appointments', { contactId, providerId: DEMO_USERS.receptionist.id, startsAt: at(0.5), durationMinutes: 60 })).status).toBe(201);
    expect((await t.api(jordan, 'PATCH', `/v1/appointments/${first.body.id}`, { status: 'cancelled' })).status).toBe(200);
    expect((await book({ startsAt: at(0.5), durationMinutes: 30 })).status).toBe(201);
    // Racing bookings for one slot: exactly one wins.
    const race = await Promise.all(Array.from({ length: 4 }, () => book({ startsAt: at(5), durationMinutes: 45 })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('validates input and ids of other accounts', async () => {
    expect((await t.api(jordan, 'POST', '/v1/appointments', { contactId, startsAt: at(10) })).status).toBe(400);
    expect((await t.api(jordan, 'POST', '/v1/appointments', { contactId, startsAt: at(10), endsAt: at(9) })).status).toBe(400);
    expect((await t.api(jordan, 'POST', '/v1/appointments', { contactId: 'con_elsewhere', startsAt: at(10), durationMinutes: 30 })).status).toBe(400);
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ('acc_other', 'Other spa') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO contacts (id, account_id, name, dnd) VALUES ('con_other', 'acc_other', 'Theirs', '{}') ON CONFLICT DO NOTHING`);
    expect((await t.api(jordan, 'POST', '/v1/appointments', { contactId: 'con_other', startsAt: at(10), durationMinutes: 30 })).status).toBe(400);
    await t.cloud.db.query(
      `INSERT INTO appointments (id, account_id, contact_id, starts_at, ends_at) VALUES ('apt_other', 'acc_other', 'con_other', now(), now() + interval '1 hour') ON CONFLICT DO NOTHING`,
    );
    expect((await t.api(jordan, 'GET', '/v1/appointments/apt_other')).status).toBe(404);
    expect((await t.api(jordan, 'PATCH', '/v1/appointments/apt_other', { status: 'cancelled' })).status).toBe(404);
    void DEMO_ACCOUNT_ID;
  });

  it('Appointment Booked / Status Changed fire with their filters; the next appointment is synced and served', async () => {
    const booked = await publishWorkflow(t, admin, 'Booked with Dr. Chen', {
      trigger: { type: 'appointment_booked', filters: { providerIds: [DEMO_USERS.admin.id], calendars: ['facials'] } },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['facial-booked'] } }],
    });
    const noShow = await publishWorkflow(t, admin, 'No-show', {
      trigger: { type: 'appointment_status_changed', filters: { statuses: ['no_show'] } },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['no-show'] } }],
    });
    const c = (await t.api(jordan, 'POST', '/v1/contacts', { name: 'Zoe', phone: '+16265559002' })).body.id as string;
    const apt = (await t.api(jordan, 'POST', '/v1/appointments', { contactId: c, providerId: DEMO_USERS.admin.id, startsAt: at(30), durationMinutes: 30, calendar: 'Facials' })).body;
    await t.api(jordan, 'POST', '/v1/appointments', { contactId: c, providerId: DEMO_USERS.receptionist.id, startsAt: at(40), durationMinutes: 30, calendar: 'Facials' });
    await waitFor('the booked run', async () => ((await runsOf(t, admin, booked.id)).some((r) => r.contactId === c && r.status === 'completed') ? true : null));
    await t.api(jordan, 'PATCH', `/v1/appointments/${apt.id}`, { status: 'confirmed' });
    await t.api(jordan, 'PATCH', `/v1/appointments/${apt.id}`, { status: 'no_show' });
    await waitFor('the no-show run', async () => ((await runsOf(t, admin, noShow.id)).some((r) => r.contactId === c && r.status === 'completed') ? true : null));
    await new Promise((r) => setTimeout(r, 500));
    expect((await runsOf(t, admin, booked.id)).filter((r) => r.contactId === c)).toHaveLength(1);
    expect((await runsOf(t, admin, noShow.id)).filter((r) => r.contactId === c)).toHaveLength(1);
    const next = (await t.api(jordan, 'GET', `/v1/contacts/${c}/next-appointment`)).body;
    expect(next).toMatchObject({ startsAt: at(40), providerId: DEMO_USERS.receptionist.id });
    const pulled = (await t.api(jordan, 'GET', '/v1/sync/pull?cursor=0&limit=5000')).body;
    expect(pulled.changes.appointments.map((a: { id: string }) => a.id)).toContain(apt.id);
  });

  it("an Appointment Booked run fills the appointment's merge fields (time in the practice's zone, provider, location, calendar)", async () => {
    const wf = await publishWorkflow(t, admin, 'Booking details', {
      trigger: { type: 'appointment_booked', filters: { calendars: ['peels'] } },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [{
        id: 'note', name: 'Note', type: 'update_contact_field',
        config: { field: 'name', value: 'Ivy: {{appointment.start_time}} / {{appointment.provider}} / {{appointment.location}} / {{appointment.calendar}} / {{appointment.status}}' },
      }],
    });
    const c = (await t.api(jordan, 'POST', '/v1/contacts', { name: 'Ivy', phone: '+16265559003' })).body.id as string;
    const startsAt = at(70);
    const booked = await t.api(jordan, 'POST', '/v1/appointments', {
      contactId: c, providerId: DEMO_USERS.admin.id, locationId: DEMO_LOCATIONS.beverlyHills.id, startsAt, durationMinutes: 30, calendar: 'Peels',
    });
    expect(booked.status).toBe(201);
    await waitFor('the booked run', async () => ((await runsOf(t, admin, wf.id)).some((r) => r.contactId === c && r.status !== 'running' && r.status !== 'waiting') ? true : null), 120_000);
    const [step] = (await t.api(admin, 'GET', `/v1/workflow-logs?workflowId=${wf.id}&contactId=${c}`)).body as Array<{ status: string; reason: string | null; blankFields: string[] }>;
    expect(step).toMatchObject({ status: 'completed', blankFields: [] });
    const contact = (await t.api(jordan, 'GET', `/v1/contacts/${c}`)).body as { name: string };
    expect(contact.name).toBe(`Ivy: ${formatDateTime(startsAt, 'America/Los_Angeles')} / ${DEMO_USERS.admin.name} / Beverly Hills / Peels / booked`);
  });
});
