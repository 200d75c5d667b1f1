import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start, pg-boss's schema) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

const HOUR = 3_600_000;

/**
 * Waits with a controllable clock (pg-boss's TestClock drives both pg-boss — delayed jobs become
 * due — and the engine). The seed's multi-stage reminder: Appointment Booked → wait until 24 h
 * before → reminder → wait until 1 h before → reminder. Tags stand in for the SMS (the comms
 * actions' own tests send them).
 */
describe.each(backends)('waits on a controllable clock on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let clock: TestClock;
  let workflowId: string;
  let n = 0;

  beforeAll(async () => {
    clock = new TestClock(Date.now());
    t = await startTestCloud(backend, {}, { automation: { clock } });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    workflowId = (
      await publishWorkflow(t, admin, '24 h + 1 h reminders', {
        trigger: { type: 'appointment_booked', filters: { providerIds: [DEMO_USERS.admin.id] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [
          { id: 'wait24', name: 'Until 24 h before', type: 'wait', config: { mode: 'appointment', amount: 24, unit: 'hours', relation: 'before', ifPast: 'skip_next' } },
          { id: 'remind24', name: 'Reminder: tomorrow', type: 'add_tag', config: { tags: ['reminded-24h'] } },
          { id: 'wait1', name: 'Until 1 h before', type: 'wait', config: { mode: 'appointment', amount: 1, unit: 'hours', relation: 'before', ifPast: 'skip_next' } },
          { id: 'remind1', name: 'Reminder: in an hour', type: 'add_tag', config: { tags: ['reminded-1h'] } },
        ],
      })
    ).id;
  }, SLOW);
  afterAll(async () => t?.stop());

  const book = async (startsInHours: number) => {
    // Each booking 7 h after the previous one's slot, so one provider's appointments never overlap.
    const k = n++;
    const c = (await t.api(jordan, 'POST', '/v1/contacts', { name: 'Remy', phone: `+1626555${String(4000 + k)}` })).body;
    const res = await t.api(jordan, 'POST', '/v1/appointments', {
      contactId: c.id, providerId: DEMO_USERS.admin.id, startsAt: new Date(clock.now() + startsInHours * HOUR + k * 7 * HOUR).toISOString(), durationMinutes: 30,
    });
    expect(res.status).toBe(201);
    return { contactId: c.id as string, appointmentId: res.body.id as string, startsAt: Date.parse(res.body.startsAt) };
  };
  const tags = async (contactId: string): Promise<string[]> => (await t.api(jordan, 'GET', `/v1/contacts/${contactId}`)).body.tags;
  const runFor = (contactId: string) =>
    waitTicking('the run', async () => (await runsOf(t, admin, workflowId)).find((r) => r.contactId === contactId) ?? null);
  const stepsOf = async (runId: string) => (await t.api(admin, 'GET', `/v1/workflows/${workflowId}/runs/${runId}`)).body.steps as { stepId: string; status: string; reason: string; waitUntil: string | null }[];
  /**
   * pg-boss's timers (its polls) fire only when the clock ticks. Jumps straight to `at` (each timer
   * the jump passed fires once, as after a sleep), then ticks a few seconds so due jobs are fetched.
   */
  const advanceTo = async (at: number) => {
    if (at > clock.now()) await clock.setTime(at);
    await clock.tick(3_000);
  };
  /** waitFor that keeps the clock moving a second per probe, so pg-boss keeps polling. */
  const waitTicking = <T>(what: string, probe: () => Promise<T | null | false>) =>
    waitFor(what, async () => {
      const value = await probe();
      if (value) return value;
      await clock.tick(1_000);
      return null;
    }, 60_000);

  it('waits 24 h and 1 h before a booking two days out, sending each reminder once at its time', async () => {
    const { contactId, startsAt } = await book(48);
    const run = await runFor(contactId);
    await waitTicking('the first wait', async () => ((await stepsOf(run.id))[0]?.status === 'waiting' ? true : null));
    expect(Date.parse((await stepsOf(run.id))[0]!.waitUntil!)).toBe(startsAt - 24 * HOUR);
    await advanceTo(startsAt - 24 * HOUR - HOUR);
    expect(await tags(contactId)).toEqual([]);
    await advanceTo(startsAt - 24 * HOUR + 60_000);
    await waitTicking('the 24 h reminder', async () => ((await tags(contactId)).includes('reminded-24h') ? true : null));
    expect(await tags(contactId)).toEqual(['reminded-24h']);
    // The 1 h wait must have started before the clock passes its time (else it is "already past").
    await waitTicking('the 1 h wait', async () => ((await stepsOf(run.id))[2]?.status === 'waiting' ? true : null));
    await advanceTo(startsAt - HOUR + 60_000);
    await waitTicking('the 1 h reminder', async () => ((await tags(contactId)).includes('reminded-1h') ? true : null));
    const steps = await stepsOf(run.id);
    expect(steps.map((s) => [s.stepId, s.status])).toEqual([['wait24', 'completed'], ['remind24', 'completed'], ['wait1', 'completed'], ['remind1', 'completed']]);
  });

  it('a booking two hours out: the 24 h wait is already past, so the stale reminder is skipped; the 1 h one is sent', async () => {
    const { contactId, startsAt } = await book(2 - n * 7);
    const run = await runFor(contactId);
    await waitTicking('the 1 h wait', async () => ((await stepsOf(run.id))[1]?.status === 'waiting' ? true : null));
    const steps = await stepsOf(run.id);
    expect(steps.map((s) => s.stepId)).toEqual(['wait24', 'wait1']);
    expect(steps[0]!.reason).toMatch(/had already passed when the run reached this wait: skipped the next step/);
    await advanceTo(startsAt - HOUR + 60_000);
    await waitTicking('the 1 h reminder', async () => ((await tags(contactId)).includes('reminded-1h') ? true : null));
    expect(await tags(contactId)).toEqual(['reminded-1h']);
  });

  it('a rescheduled appointment moves the wait with it', async () => {
    const { contactId, appointmentId, startsAt } = await book(30);
    const run = await runFor(contactId);
    await waitTicking('the first wait', async () => ((await stepsOf(run.id))[0]?.status === 'waiting' ? true : null));
    const later = startsAt + 24 * HOUR;
    expect((await t.api(jordan, 'PATCH', `/v1/appointments/${appointmentId}`, { startsAt: new Date(later).toISOString() })).status).toBe(200);
    await advanceTo(startsAt - 24 * HOUR + 60_000);
    await waitTicking('the wait to move', async () => {
      const s = (await stepsOf(run.id))[0]!;
      return s.status === 'waiting' && Date.parse(s.waitUntil!) === later - 24 * HOUR ? s : null;
    });
    expect(await tags(contactId)).toEqual([]);
    await advanceTo(later - 24 * HOUR + 60_000);
    await waitTicking('the 24 h reminder', async () => ((await tags(contactId)).includes('reminded-24h') ? true : null));
  });
});
