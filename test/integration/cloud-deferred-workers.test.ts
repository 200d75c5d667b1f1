import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, oneStepWorkflow } from '../support/comms';

afterAll(stopTestPostgres);

/** The embedded default starts the automation workers after the API listens (a faster "Ready for calls"). */
describe.each(backends)('automation workers started after the API listens, on %s', (backend) => {
  it('the API answers before the workers run; a run enrolled meanwhile completes once they start; stop waits for them', async () => {
    const t = await startTestCloud(backend, {}, { automation: {}, workersAfterListening: true });
    try {
      // startCloud returned as soon as it listened: the workers were still starting.
      expect(t.cloud.automation).toBeNull();
      const admin = (await t.login('admin')).accessToken;
      const contact = await createContact(t, admin, { name: 'Early Bird', phone: '+13105556001' });
      const wf = await publishWorkflow(
        t,
        admin,
        'Tell the owner',
        oneStepWorkflow({
          id: 'owner',
          name: 'Tell the owner',
          type: 'internal_notification',
          config: { channel: 'in_app', title: 'New lead: {{contact.name}}', message: 'Call back', redirect: 'contact', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], teamIds: [], roles: [] },
        }),
      );
      const run = await enrolAndWait(t, admin, wf.id, contact);
      expect(run.steps.map((s) => s.status)).toEqual(['completed']);
      await t.cloud.workersStarted;
      expect(t.cloud.automation?.engine).toBeDefined();
    } finally {
      await t.stop();
    }
  }, 120_000);

  it('with a gate, the workers wait for it (the embedded default: until the phone is ready); a stop before it opens never starts them', async () => {
    const t = await startTestCloud(backend, {}, { automation: {}, workersAfterListening: true, workersWhen: new Promise<void>(() => undefined) });
    await t.login('admin'); // the API answers meanwhile
    expect(t.cloud.automation).toBeNull();
    await t.stop(); // returns although the gate never opens
    await t.cloud.workersStarted;
    expect(t.cloud.automation).toBeNull();
  }, 120_000);
});
