import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { startEmbeddedStack } from '../../src/main/embedded';
import type { EmbeddedStack } from '../../src/main/embedded';
import { profileHandlers } from '../../src/main/ipc/handlers/profile';
import { caughtMails, codeFromMail, codeFromSms, sandboxMessages } from '../support/twofa-delivery';

/**
 * The real adapters, as the embedded default wires them: email over SMTP to the local catcher
 * (read back from the .eml files), SMS through the Twilio sandbox's Messages API (read back from
 * what it recorded), driven through main's IPC handlers.
 */
describe('2FA delivery through the embedded default (SMTP catcher + sandbox Messages API)', () => {
  let dir: string;
  let stack: EmbeddedStack;
  let handlers: ReturnType<typeof profileHandlers>;
  let who: string;
  const NEW = '+13105550166';
  const sender = { id: 1, isMainFrame: true, frameUrl: 'app://x' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aesthetix-2fa-embedded-'));
    stack = await startEmbeddedStack({ dataDir: join(dir, 'embedded'), log: () => undefined });
    const api = createCloudClient({ baseUrl: stack.cloudUrl });
    // Signed in as the app's start does it: a session the embedded cloud issues in this process.
    const login = await stack.demoSignIn('twofa');
    who = login.user.email;
    handlers = profileHandlers({ session: { authed: (fn) => fn(login.accessToken) }, api });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('emails a code through SMTP, texts codes only to the current verified phone, and notifies the old channels', async () => {
    const embedded = join(dir, 'embedded');
    const before = await handlers['profile.getVerification'](undefined, sender);
    expect(before.channels).toEqual([]);

    const ve = await handlers['profile.startChannelVerification']({ channel: 'email' }, sender);
    if (ve.status !== 'started') throw new Error(ve.message);
    const emailCode = codeFromMail(embedded, who);
    expect(emailCode).toMatch(/^\d{6}$/);
    expect(await handlers['profile.verify']({ challengeId: ve.challenge.id, code: emailCode! }, sender)).toMatchObject({ status: 'verified', profile: { emailVerified: true } });

    const change = await handlers['profile.startPhoneChange']({ newPhone: NEW, channel: 'email' }, sender);
    if (change.status !== 'started') throw new Error(change.message);
    const changed = await handlers['profile.verify']({ challengeId: change.challenge.id, code: codeFromMail(embedded, who)! }, sender);
    expect(changed).toMatchObject({ status: 'verified', profile: { phone: NEW, phoneVerified: false } });
    expect(caughtMails(embedded).at(-1)).toMatch(/Subject: Your Aesthetix phone number was changed/);
    expect(await sandboxMessages(embedded, NEW)).toEqual([]);

    const vp = await handlers['profile.startChannelVerification']({ channel: 'sms' }, sender);
    if (vp.status !== 'started') throw new Error(vp.message);
    const smsCode = await codeFromSms(embedded, NEW);
    expect(smsCode).toMatch(/^\d{6}$/);
    expect(await handlers['profile.verify']({ challengeId: vp.challenge.id, code: smsCode! }, sender)).toMatchObject({ status: 'verified', profile: { channels: ['email', 'sms'] } });
    const [sms] = await sandboxMessages(embedded, NEW);
    expect(sms!.from).toMatch(/^\+1/);
  });

  it('draws the enrolment QR code in main', async () => {
    const begun = await handlers['profile.beginTotp']({ password: 'not-needed-here' }, sender);
    expect(begun).toMatchObject({ status: 'refused', reason: 'step_up_required' });
    const stepUp = await handlers['profile.startTotpStepUp']({ channel: 'email' }, sender);
    if (stepUp.status !== 'started') throw new Error(stepUp.message);
    const verified = await handlers['profile.verify']({ challengeId: stepUp.challenge.id, code: codeFromMail(join(dir, 'embedded'), who)! }, sender);
    if (verified.status !== 'verified') throw new Error(verified.message);
    expect(verified.enrolment?.qrDataUrl).toMatch(/^data:image\/png;base64,/);
  });
});
