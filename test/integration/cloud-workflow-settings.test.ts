import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { silentMp3, toneWav } from '../../src/sandbox/testing/audio-fixtures';
import { MEDIA_MAX_FILE_BYTES, mediaFileSchema } from '../../src/shared/cloud/media';
import { messageTemplateSchema } from '../../src/shared/cloud/templates';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { mediaHandlers } from '../../src/main/ipc/handlers/media';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { otherPracticeAdmin, upload } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

describe.each(backends)('workflow settings on %s: templates and the media library', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let other: { token: string };
  beforeAll(async () => {
    t = await startTestCloud(backend);
    // Its Send Email steps send From this domain: a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glow.test');
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    other = await otherPracticeAdmin(t);
  }, SLOW);
  afterAll(async () => t?.stop());

  describe('templates', () => {
    it('saves email and SMS templates; everyone reads them, only admins write', async () => {
      const email = await t.api(admin, 'POST', '/v1/templates', {
        channel: 'email', name: 'Booking confirmation', subject: 'Thanks for booking with us, {{contact.first_name}}',
        body: '<p>Hi {{contact.first_name}}, see you {{appointment.start_time}}.</p>',
      });
      expect(email.status).toBe(201);
      expect(messageTemplateSchema.parse(email.body)).toMatchObject({ channel: 'email', version: 1, subject: 'Thanks for booking with us, {{contact.first_name}}' });
      const sms = await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'Reminder', body: 'Hi {{contact.first_name}}, see you tomorrow!' });
      expect(sms.status).toBe(201);
      expect(sms.body.subject).toBe('');

      const all = await t.api(jordan, 'GET', '/v1/templates');
      expect(all.status).toBe(200);
      expect(all.body.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['Booking confirmation', 'Reminder']));
      const onlySms = await t.api(jordan, 'GET', '/v1/templates?channel=sms');
      expect(onlySms.body.every((x: { channel: string }) => x.channel === 'sms')).toBe(true);

      expect((await t.api(jordan, 'POST', '/v1/templates', { channel: 'sms', name: 'Mine', body: 'x' })).status).toBe(403);
      expect((await t.api(jordan, 'PATCH', `/v1/templates/${sms.body.id}`, { body: 'changed' })).status).toBe(403);
      expect((await t.api(jordan, 'DELETE', `/v1/templates/${sms.body.id}`)).status).toBe(403);
    });

    it('refuses bad input plainly: a taken name, broken merge fields, an SMS subject or an over-long SMS', async () => {
      await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'Taken', body: 'x' });
      const taken = await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'TAKEN', body: 'y' });
      expect(taken.status).toBe(409);
      expect(taken.body.detail).toMatch(/already exists/);
      // The same name on the other channel is fine.
      expect((await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Taken', body: 'y' })).status).toBe(201);

      const broken = await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Broken', subject: 'ok', body: 'Hi {{contact.first_name' });
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].path).toBe('body.body');
      expect((await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'Subj', subject: 'x', body: 'y' })).status).toBe(400);
      expect((await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'Long', body: 'x'.repeat(1601) })).status).toBe(400);
      expect((await t.api(admin, 'POST', '/v1/templates', { channel: 'fax', name: 'Fax', body: 'x' })).status).toBe(400);
    });

    it('edits bump the version; a stale editor is refused instead of overwriting (nothing lost)', async () => {
      const created = (await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Promo', subject: 'Hello', body: 'v1' })).body;
      const first = await t.api(admin, 'PATCH', `/v1/templates/${created.id}`, { body: 'v2', expectedVersion: 1 });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ body: 'v2', version: 2 });
      const stale = await t.api(admin, 'PATCH', `/v1/templates/${created.id}`, { body: 'v2-from-another-window', expectedVersion: 1 });
      expect(stale.status).toBe(409);
      expect((await t.api(admin, 'GET', `/v1/templates/${created.id}`)).body.body).toBe('v2');
      // An edit that changes nothing keeps the version.
      expect((await t.api(admin, 'PATCH', `/v1/templates/${created.id}`, { body: 'v2' })).body.version).toBe(2);
      expect((await t.api(admin, 'PATCH', `/v1/templates/${created.id}`, { body: '{{#if}}' })).status).toBe(400);

      expect((await t.api(admin, 'DELETE', `/v1/templates/${created.id}`)).status).toBe(204);
      expect((await t.api(admin, 'GET', `/v1/templates/${created.id}`)).status).toBe(404);
      expect((await t.api(admin, 'DELETE', `/v1/templates/${created.id}`)).status).toBe(404);
    });

    it('another practice cannot see, edit or delete them', async () => {
      const mine = (await t.api(admin, 'POST', '/v1/templates', { channel: 'sms', name: 'Private', body: 'x' })).body;
      expect((await t.api(other.token, 'GET', `/v1/templates/${mine.id}`)).status).toBe(404);
      expect((await t.api(other.token, 'PATCH', `/v1/templates/${mine.id}`, { body: 'hijack' })).status).toBe(404);
      expect((await t.api(other.token, 'DELETE', `/v1/templates/${mine.id}`)).status).toBe(404);
      expect((await t.api(other.token, 'GET', '/v1/templates')).body).toEqual([]);
      expect((await t.api(admin, 'GET', `/v1/templates/${mine.id}`)).body.body).toBe('x');
    });
  });

  describe('template usage', () => {
    it('names the steps of each workflow that use a template (drafts, branches), only to admins of its practice', async () => {
      const tpl = (await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Lead welcome', subject: 'Welcome', body: '<p>Hi</p>' })).body;
      const email = (id: string, name: string, sync: boolean) => ({
        id, name, type: 'send_email',
        config: { fromName: 'Glow', fromEmail: 'desk@glow.test', subject: 'Welcome', body: '<p>Hi</p>', templateId: tpl.id, syncTemplateEdits: sync, attachments: [], cc: [], bcc: [] },
      });
      const draft = {
        trigger: { type: 'manual', filters: {} },
        steps: [
          email('welcome_1', 'Welcome email', true),
          { id: 'branch_1', name: 'Has email?', type: 'if_else', branches: [{ id: 'yes_1', name: 'Yes', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [email('again_1', 'Second welcome', false)] }], elseSteps: [] },
        ],
      };
      const created = await t.api(admin, 'POST', '/v1/workflows', { name: 'New lead follow-up', draft });
      expect(created.status).toBe(201);
      await t.api(admin, 'POST', '/v1/workflows', { name: 'Unrelated', draft: { trigger: { type: 'manual', filters: {} }, steps: [] } });

      const usage = await t.api(admin, 'GET', `/v1/templates/${tpl.id}/usage`);
      expect(usage.status).toBe(200);
      expect(usage.body).toEqual({
        templateId: tpl.id,
        steps: [
          { workflowId: created.body.id, workflowName: 'New lead follow-up', stepId: 'welcome_1', stepName: 'Welcome email', synced: true },
          { workflowId: created.body.id, workflowName: 'New lead follow-up', stepId: 'again_1', stepName: 'Second welcome', synced: false },
        ],
      });
      expect((await t.api(jordan, 'GET', `/v1/templates/${tpl.id}/usage`)).status).toBe(403);
      expect((await t.api(other.token, 'GET', `/v1/templates/${tpl.id}/usage`)).status).toBe(404);
      // A deleted workflow no longer counts.
      expect((await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/delete`, { inProgress: 'cancel' })).status).toBeLessThan(300);
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}/usage`)).body.steps).toEqual([]);
    });
  });

  describe('Sync Edits to Template (Send Email)', () => {
    const emailStep = (id: string, templateId: string, sync: boolean, text: { subject?: string; body?: string } = {}) => ({
      id, name: `Step ${id}`, type: 'send_email',
      config: { fromName: 'Glow', fromEmail: 'desk@glow.test', subject: text.subject ?? 'Welcome', body: text.body ?? '<p>Template text</p>', templateId, syncTemplateEdits: sync, attachments: [], cc: [], bcc: [] },
    });
    const doc = (...steps: unknown[]) => ({ trigger: { type: 'manual', filters: {} }, steps });
    type Doc = { steps: Array<{ id: string; config: { subject: string; body: string } }> };
    const stepOf = (draft: Doc, id: string) => draft.steps.find((s) => s.id === id)!.config;
    const template = async (name: string) => (await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name, subject: 'Welcome', body: '<p>Template text</p>' })).body;

    it('saving a draft writes a synced step’s text into its template; the other drafts synced with it follow, unsynced steps and published versions do not', async () => {
      const tpl = await template('Sync both ways');
      const editing = (await t.api(admin, 'POST', '/v1/workflows', { name: 'Sync: editing', draft: doc(emailStep('mine', tpl.id, true)) })).body;
      const other = (await t.api(admin, 'POST', '/v1/workflows', { name: 'Sync: other', draft: doc(emailStep('theirs', tpl.id, true), emailStep('own', tpl.id, false)) })).body;
      expect((await t.api(admin, 'POST', `/v1/workflows/${other.id}/publish`)).status).toBe(200);

      const saved = await t.api(admin, 'PATCH', `/v1/workflows/${editing.id}`, {
        draft: doc(emailStep('mine', tpl.id, true, { subject: 'Welcome in', body: '<p>Edited in the workflow</p>' })), templateVersions: { [tpl.id]: 1 },
      });
      expect(saved.status).toBe(200);
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}`)).body).toMatchObject({ subject: 'Welcome in', body: '<p>Edited in the workflow</p>', version: 2 });
      const otherNow = (await t.api(admin, 'GET', `/v1/workflows/${other.id}`)).body;
      expect(stepOf(otherNow.draft, 'theirs')).toMatchObject({ subject: 'Welcome in', body: '<p>Edited in the workflow</p>' });
      expect(stepOf(otherNow.draft, 'own')).toMatchObject({ subject: 'Welcome', body: '<p>Template text</p>' });
      // The published version runs as it was published: the edit goes live with the next publish.
      expect(stepOf((await t.api(admin, 'GET', `/v1/workflows/${other.id}/versions/1`)).body.document, 'theirs')).toMatchObject({ body: '<p>Template text</p>' });
    });

    it('editing the template rewrites the synced steps of the drafts (If/Else branches too), not the published versions', async () => {
      const tpl = await template('Template first');
      const branch = { id: 'branch', name: 'Has email?', type: 'if_else', branches: [{ id: 'yes', name: 'Yes', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [emailStep('nested', tpl.id, true)] }], elseSteps: [] };
      const wf = (await t.api(admin, 'POST', '/v1/workflows', { name: 'Template first', draft: doc(emailStep('top', tpl.id, true), emailStep('own', tpl.id, false), branch) })).body;
      expect((await t.api(admin, 'POST', `/v1/workflows/${wf.id}/publish`)).status).toBe(200);
      expect((await t.api(admin, 'PATCH', `/v1/templates/${tpl.id}`, { subject: 'New subject', body: '<p>Edited in Templates</p>', expectedVersion: 1 })).status).toBe(200);
      const draft = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}`)).body.draft;
      expect(stepOf(draft, 'top')).toMatchObject({ subject: 'New subject', body: '<p>Edited in Templates</p>' });
      expect(draft.steps[2].branches[0].steps[0].config).toMatchObject({ subject: 'New subject', body: '<p>Edited in Templates</p>' });
      expect(stepOf(draft, 'own')).toMatchObject({ subject: 'Welcome', body: '<p>Template text</p>' });
      expect(stepOf((await t.api(admin, 'GET', `/v1/workflows/${wf.id}/versions/1`)).body.document, 'top')).toMatchObject({ body: '<p>Template text</p>' });
      // A rename alone changes no step.
      const renamed = await t.api(admin, 'PATCH', `/v1/templates/${tpl.id}`, { name: 'Template first (renamed)' });
      expect(renamed.status).toBe(200);
      expect((await t.api(admin, 'GET', `/v1/workflows/${wf.id}`)).body.draft).toEqual(draft);
    });

    it('a template edited after the workflow was opened is not overwritten: a plain conflict, and nothing of the save is kept', async () => {
      const tpl = await template('Edited meanwhile');
      const wf = (await t.api(admin, 'POST', '/v1/workflows', { name: 'Stale editor', draft: doc(emailStep('mine', tpl.id, true)) })).body;
      expect((await t.api(admin, 'PATCH', `/v1/templates/${tpl.id}`, { body: '<p>Someone else’s edit</p>' })).status).toBe(200);
      const stale = await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, {
        name: 'Stale editor, renamed', draft: doc(emailStep('mine', tpl.id, true, { body: '<p>My edit</p>' })), templateVersions: { [tpl.id]: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.detail).toBe(
        'The template "Edited meanwhile" was changed after this workflow was opened, so the edit to "Step mine" could not be saved into it. ' +
          'Reopen the workflow to get the template’s new text and make your edit again, or turn off Sync Edits to Template on that step to keep your text as its own copy.',
      );
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}`)).body).toMatchObject({ body: '<p>Someone else’s edit</p>', version: 2 });
      const now = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}`)).body;
      expect(now.name).toBe('Stale editor');
      expect(stepOf(now.draft, 'mine').body).toBe('<p>Someone else’s edit</p>');
      // Saved from the new version, the same edit goes through.
      expect((await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, { draft: doc(emailStep('mine', tpl.id, true, { body: '<p>My edit</p>' })), templateVersions: { [tpl.id]: 2 } })).status).toBe(200);
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}`)).body).toMatchObject({ body: '<p>My edit</p>', version: 3 });
    });

    it('refuses what cannot be one text: two synced steps that differ, an empty Message; another practice’s template is never written', async () => {
      const tpl = await template('One text');
      const wf = (await t.api(admin, 'POST', '/v1/workflows', { name: 'One text', draft: doc() })).body;
      const differ = await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, { draft: doc(emailStep('a', tpl.id, true, { body: '<p>A</p>' }), emailStep('b', tpl.id, true, { body: '<p>B</p>' })) });
      expect(differ.status).toBe(400);
      expect(differ.body.detail).toMatch(/"Step a" and "Step b" both keep the template "One text" in sync but have different text/);
      const empty = await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, { draft: doc(emailStep('a', tpl.id, true, { body: '  ' })) });
      expect(empty.status).toBe(400);
      expect(empty.body.detail).toMatch(/its Message cannot be empty/);
      // One edited, one as the template was: the edit is the text, and both steps take it.
      const oneEdited = await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, { draft: doc(emailStep('a', tpl.id, true, { body: '<p>A</p>' }), emailStep('b', tpl.id, true)) });
      expect(oneEdited.status).toBe(200);
      expect(oneEdited.body.draft.steps.map((s: { config: { body: string } }) => s.config.body)).toEqual(['<p>A</p>', '<p>A</p>']);
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}`)).body.body).toBe('<p>A</p>');

      const theirs = (await t.api(other.token, 'POST', '/v1/workflows', { name: 'Theirs', draft: doc(emailStep('x', tpl.id, true, { body: '<p>Hijack</p>' })) }));
      expect([201, 400]).toContain(theirs.status); // saved with its own copy, or refused for naming a template it does not have
      expect((await t.api(admin, 'GET', `/v1/templates/${tpl.id}`)).body.body).toBe('<p>A</p>');
    });
  });

  describe('media library', () => {
    it('uploads a recording, tells its length and bitrate, and serves it at an unguessable public URL Twilio can fetch', async () => {
      const bytes = silentMp3(2000, 128);
      const res = await upload(t, admin, 'No-show reschedule.mp3', bytes);
      expect(res.status).toBe(201);
      const file = mediaFileSchema.parse(res.body);
      expect(file).toMatchObject({ name: 'No-show reschedule.mp3', contentType: 'audio/mpeg', kind: 'audio', sizeBytes: bytes.length, bitrateKbps: 128 });
      expect(Math.abs(file.durationMs! - 2000)).toBeLessThan(40);
      expect(file.warning).toMatch(/64 kbps MP3/);
      expect(file.url).toMatch(new RegExp(`^${t.cloud.publicUrl}/media/[A-Za-z0-9_-]{32}/No-show%20reschedule\\.mp3$`));

      const fetched = await fetch(file.url);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('audio/mpeg');
      expect(fetched.headers.get('x-content-type-options')).toBe('nosniff');
      expect(fetched.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
      // Signed-in playback in the builder.
      const played = await fetch(`${t.cloud.url}/v1/media/${file.id}/content`, { headers: { authorization: `Bearer ${jordan}` } });
      expect(played.status).toBe(200);
      expect((await played.arrayBuffer()).byteLength).toBe(bytes.length);
      expect((await fetch(`${t.cloud.url}/v1/media/${file.id}/content`)).status).toBe(401);

      const wav = await upload(t, admin, 'greeting.wav', toneWav(1500), 'audio/wav');
      expect(wav.status).toBe(201);
      expect(wav.body).toMatchObject({ contentType: 'audio/wav', durationMs: 1500, warning: null });
      const list = await t.api(jordan, 'GET', '/v1/media?kind=audio');
      expect(list.body.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([file.id, wav.body.id]));
    });

    it('decides the type from the bytes and refuses what could run when opened', async () => {
      const html = await upload(t, admin, 'invoice.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf');
      expect(html.status).toBe(415);
      expect((await upload(t, admin, 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).status).toBe(415);
      expect((await upload(t, admin, 'empty.mp3', Buffer.alloc(0))).status).toBe(400);
      const renamed = await upload(t, admin, 'price list.txt', Buffer.from('%PDF-1.4\n%fake but signed\n'));
      expect(renamed.status).toBe(201);
      expect(renamed.body).toMatchObject({ contentType: 'application/pdf', name: 'price list.txt.pdf', kind: 'document' });
      const csv = await upload(t, admin, 'prices.csv', Buffer.from('service,price\nHydraFacial,199\n'), 'text/csv');
      expect(csv.body).toMatchObject({ contentType: 'text/csv' });
      const served = await fetch(csv.body.url);
      expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
      // A JSON body is not a file.
      expect((await t.api(admin, 'POST', '/v1/media?name=a.mp3', { data: 'x' })).status).toBe(400);
    });

    it('enforces the per-file limit and admin-only writes before reading the body', async () => {
      const big = Buffer.concat([silentMp3(100), Buffer.alloc(MEDIA_MAX_FILE_BYTES)]);
      expect((await upload(t, admin, 'big.mp3', big)).status).toBe(413);
      expect((await upload(t, jordan, 'mine.mp3', silentMp3(300))).status).toBe(403);
      const anonymous = await fetch(`${t.cloud.url}/v1/media?name=a.mp3`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: silentMp3(300) });
      expect(anonymous.status).toBe(401);
      const usage = await t.api(jordan, 'GET', '/v1/media/usage');
      expect(usage.body).toMatchObject({ maxFileBytes: MEDIA_MAX_FILE_BYTES });
      expect(usage.body.usedBytes).toBeGreaterThan(0);
    });

    it('desktop path: main takes the file in pieces over IPC and uploads it whole with the cloud client', async () => {
      const api = createCloudClient({ baseUrl: t.cloud.url });
      const ipc = mediaHandlers({ session: { user: { role: 'admin' } as never, authed: (fn) => fn(admin) }, api });
      const sender = { id: 7, isMainFrame: true, frameUrl: 'app://x' };
      const bytes = silentMp3(45_000, 128); // > one IPC piece (512 KiB)
      const send = async (name: string, data: Buffer) => {
        const { uploadId, chunkBytes } = await ipc['media.uploadStart']({ name, sizeBytes: data.length }, sender);
        for (let offset = 0; offset < data.length; offset += chunkBytes) {
          await ipc['media.uploadChunk']({ uploadId, offset, data: data.subarray(offset, offset + chunkBytes).toString('base64') }, sender);
        }
        return ipc['media.uploadFinish']({ uploadId }, sender);
      };
      expect(bytes.length).toBeGreaterThan(512 * 1024);
      const file = await send('Welcome drop.mp3', bytes);
      expect(file).toMatchObject({ name: 'Welcome drop.mp3', kind: 'audio', sizeBytes: bytes.length });
      expect(Buffer.from(await (await fetch(file.url)).arrayBuffer()).equals(bytes)).toBe(true);
      expect((await ipc['media.list']({ kind: 'audio' }, sender)).map((f) => f.id)).toContain(file.id);
      // The cloud's refusal reaches the admin as its plain sentence; nothing is listed.
      await expect(send('page.pdf', Buffer.from('<html><script>alert(1)</script></html>'))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect((await ipc['media.list']({}, sender)).some((f) => f.name.startsWith('page'))).toBe(false);
      expect(await ipc['media.delete']({ mediaId: file.id }, sender)).toEqual({ deleted: true });
    });

    it('a deleted file stops being served; another practice never sees a file', async () => {
      const file = (await upload(t, admin, 'old.mp3', silentMp3(500))).body;
      expect((await t.api(other.token, 'GET', `/v1/media/${file.id}`)).status).toBe(404);
      expect((await t.api(other.token, 'DELETE', `/v1/media/${file.id}`)).status).toBe(404);
      expect((await fetch(`${t.cloud.url}/v1/media/${file.id}/content`, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
      expect((await t.api(other.token, 'GET', '/v1/media')).body).toEqual([]);

      expect((await t.api(admin, 'DELETE', `/v1/media/${file.id}`)).status).toBe(204);
      expect((await fetch(file.url)).status).toBe(404);
      expect((await t.api(admin, 'GET', `/v1/media/${file.id}`)).status).toBe(404);
      expect((await fetch(`${t.cloud.publicUrl}/media/${'x'.repeat(32)}/old.mp3`)).status).toBe(404);
    });
  });
});
