import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNT_ID, DEMO_USERS, openingDatabase, SANDBOX_TWILIO_CREDENTIALS, sandboxConfig, startCloud, webhookPaths, type Database } from '../../cloud';
import { startSandbox, type Sandbox } from '../../sandbox';
import { startDnsStandIn } from '../../sandbox/dns';
import { startupTrace } from '../core/startup-trace';
import { embeddedAiSettings } from './ai-settings';
import { readCaughtMail } from './demo-inbox';
import { postDemoReply } from './demo-reply';
import { planDemoSlack, recentSlackMessages, startDemoSlack } from './demo-slack';
import { startMailCatcher } from './mail-catcher';
import { EmbeddedStartError, type EmbeddedStartStage } from './start-error';
import type { EmbeddedStack, StartEmbeddedStack } from './types';
import { freePort } from './free-port';
import { answerWaitingRequests } from './waiting-requests';

/** How long after a Device registers the automation workers wait: the page paints "Ready" meanwhile. */
const WORKERS_AFTER_REGISTRATION_MS = 500;
/** Started anyway this long after the sandbox is up, when no phone registers (no page open). */
const WORKERS_AT_LATEST_MS = 10_000;

/**
 * Settles once a Device has registered with the sandbox (the softphone is ready for calls), or
 * after WORKERS_AT_LATEST_MS: the automation workers and the Slack stand-in start then, so they
 * do not compete with the page for the CPU while it starts. Events recorded before are durable
 * and run when the workers start.
 */
function phoneReady(sandbox: Sandbox): Promise<void> {
  return new Promise((resolve) => {
    // Unref'd: a stack stopped before either never waits for them (the cloud skips the workers).
    let timer = setTimeout(done, WORKERS_AT_LATEST_MS).unref();
    function done(): void {
      clearTimeout(timer);
      sandbox.events.off('event', onEvent);
      resolve();
    }
    function onEvent(event: { type: string }): void {
      if (event.type !== 'device.registered') return;
      sandbox.events.off('event', onEvent);
      clearTimeout(timer);
      timer = setTimeout(done, WORKERS_AFTER_REGISTRATION_MS).unref();
    }
    sandbox.events.on('event', onEvent);
  });
}

type StackOptions = Parameters<StartEmbeddedStack>[0] & {
  /** The cloud's database, being opened (database.ts); this stack closes it when it stops or fails to start. */
  db: Promise<Database>;
  /** The ports chosen for the cloud API and the sandbox's edge (their URLs were told already: index.ts). */
  ports: { cloud: number; edge: number };
};

/**
 * The embedded default: the Twilio sandbox and the cloud API (PGlite in the user-data folder,
 * seeded with the demo practice) in this process, wired to each other as Twilio and the real
 * cloud would be: the practice's numbers and the softphone's TwiML app point at the cloud's
 * webhooks, and the cloud reaches the sandbox's REST API trusting exactly its CA. The sandbox
 * starts, and the cloud builds its routes, while the database is still opening (its own thread);
 * the automation workers start once the phone has registered (phoneReady), since nothing before
 * "Ready for calls" needs them.
 */
export async function startStack({ dataDir, log, env = {}, db: opening, ports }: StackOptions): Promise<EmbeddedStack> {
  // The database's failure, if its opening failed (else null): it is reported before any other,
  // since a damaged data folder is what the receptionist can act on.
  const openingFailure = () => opening.then(() => null, (reason: unknown) => ({ reason }));
  // Used at once, while it opens: the cloud builds its routes meanwhile and waits for it only to migrate.
  const db = openingDatabase('pglite', opening);
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, port: ports.edge, certificateCacheFile: join(dataDir, 'sandbox-tls.json') });
  } catch (error) {
    const failed = await openingFailure();
    await db.close().catch(() => undefined);
    throw failed ? new EmbeddedStartError('database', dataDir, failed.reason) : new EmbeddedStartError('sandbox', dataDir, error);
  }
  startupTrace('sandbox started');
  // The page's script, asked for while the sandbox started, before the cloud's start (issue #21).
  await answerWaitingRequests();
  let mail: Awaited<ReturnType<typeof startMailCatcher>> | undefined;
  let dns: Awaited<ReturnType<typeof startDnsStandIn>> | undefined;
  let stage: EmbeddedStartStage = 'mail';
  // Stopped if a later step fails: a Retry starts a new cloud on the same data folder.
  let startedCloud: { stop(): Promise<void> } | undefined;
  try {
    // 2FA email codes go over SMTP to a local catcher: each message lands in <dataDir>/mail/*.eml.
    mail = await startMailCatcher({ dir: join(dataDir, 'mail') });
    const caught = mail;
    // Sending domains are checked against a DNS stand-in on loopback (two sockets: nothing to wait
    // for): the demo practice publishes its records there from Settings → Email sending, as a real
    // practice does at its DNS provider; they are kept in <dataDir>/dns-standin.json.
    dns = await startDnsStandIn({ stateFile: join(dataDir, 'dns-standin.json') });
    const demoDns = dns;
    stage = 'cloud';
    // Where the sandbox's REST API is, so a developer (or the E2E) can read the SMS it recorded.
    const port = ports.cloud;
    const publicUrl = `http://127.0.0.1:${port}`;
    const aiSettings = embeddedAiSettings(env);
    const slackPlan = planDemoSlack(await freePort());
    // As a real deployment's TwiML app should be: the Voice URL, and a Status Callback so the
    // softphone's own leg of an outgoing call reports its end too (the callee's leg reports it
    // through the <Number> status callback the outbound TwiML asks for).
    const app = sandbox.control.createApplication({
      friendlyName: 'Aesthetix Softphone',
      voiceUrl: `${publicUrl}${webhookPaths.outbound}`,
      statusCallback: `${publicUrl}${webhookPaths.status}`,
    });
    // The desktop reaches this cloud with Node's fetch, whose first use loads its HTTP client (undici:
    // ~60 ms of this thread, which the Twilio token's request waited for on the way to "Ready for
    // calls"). Loaded now instead, while the database is still opening: reading one of its globals does it.
    void globalThis.Headers;
    const cloud = await startCloud({
      config: sandboxConfig({
        port,
        publicUrl,
        dataDir,
        logLevel: 'warn',
        twilio: { twimlAppSid: app.sid, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem },
        twoFactor: { smtp: { host: mail.host, port: mail.port, allowPlaintext: true } },
        // The practice's OpenAI-compatible service when AI_BASE_URL + AI_MODEL are set (AI agents and
        // Write with AI; the key stays in this process's memory). Unset: agents answer with the
        // offline scripted brain and Write with AI says it is off.
        ai: aiSettings.ai,
        // Slack: the stand-in's demo workspace (demo-slack.ts); a real deployment keeps slack.com.
        automation: { slackApiUrl: slackPlan.apiUrl },
        integrations: { slack: { clientId: slackPlan.clientId, clientSecret: slackPlan.clientSecret, authorizeUrl: slackPlan.authorizeUrl } },
        dns: { servers: [demoDns.server] },
      }),
      db,
      seed: true,
      workersAfterListening: true,
      workersWhen: phoneReady(sandbox),
    });
    startedCloud = cloud;
    startupTrace('database open, cloud API started');
    // Off the path to "Ready for calls": the Slack stand-in starts after the automation workers.
    // Set once it has started: the Demo inbox shows emails and texts meanwhile rather than wait for
    // it (it follows the automation workers, which take seconds to start on a busy computer).
    let slackStarted: Awaited<ReturnType<typeof startDemoSlack>> | null = null;
    const slack = cloud.workersStarted
      .then(() => startDemoSlack(slackPlan, dataDir))
      .then(
        (started) => (startupTrace('Slack stand-in started'), (slackStarted = started)),
        (error: unknown) => (log('The demo Slack workspace could not start: connecting Slack will say Slack cannot be reached', error), null),
      );
    stage = 'files';
    writeFileSync(join(dataDir, 'sandbox.json'), JSON.stringify({ cloudUrl: cloud.url, restBaseUrl: sandbox.restBaseUrl, caPem: sandbox.caPem }));
    stage = 'cloud';
    const numbers = await cloud.db.query<{ number: string; name: string }>(`SELECT number, name FROM phone_numbers WHERE deleted_at IS NULL ORDER BY number`);
    for (const { number, name } of numbers) {
      sandbox.control.addNumber({
        phoneNumber: number,
        friendlyName: name,
        voiceUrl: `${publicUrl}${webhookPaths.inbound}`,
        // Answers without the database when the inbound webhook fails or is refused (telephony/fallback.ts).
        voiceFallbackUrl: `${publicUrl}${webhookPaths.fallback}`,
        statusCallback: `${publicUrl}${webhookPaths.status}`,
      });
    }
    const callers = await cloud.db.query<{ phone: string }>(`SELECT phone FROM contacts WHERE phone IS NOT NULL AND deleted_at IS NULL ORDER BY name LIMIT 10`);

    const stack: EmbeddedStack = {
      cloudUrl: cloud.url,
      edgeHost: sandbox.edgeHost,
      caPem: sandbox.caPem,
      linkOrigins: [slackPlan.origin],
      demoSignIn: (deviceName) => cloud.signInInProcess({ email: DEMO_USERS.receptionist.email, deviceName }),
      notices: aiSettings.notice ? [aiSettings.notice] : [],
      async simulateInboundCall(input) {
        const from = input.from ?? callers[Math.floor(Math.random() * callers.length)]?.phone ?? '+13105550199';
        const to = input.to ?? numbers[0]?.number;
        if (!to) throw new Error('The demo practice has no phone number to call.');
        const callSid = sandbox.control.placeInboundCall({ from, to });
        return { callSid, from, to };
      },
      async publishDnsRecords(records) {
        for (const record of records) demoDns.zone.addTxt(record.name, record.value);
        return records.length;
      },
      async recentMessages(limit) {
        const emails = readCaughtMail(caught.dir, limit);
        const texts = sandbox.control.messaging
          .list({ direction: 'outbound-api' })
          .slice(-limit)
          .map((m) => ({ id: `sms:${m.sid}`, channel: 'sms' as const, to: m.to, subject: null, body: m.body, sentAt: m.dateCreated.toISOString() }));
        const posted = slackStarted?.control;
        const slackMessages = posted ? recentSlackMessages(posted, limit) : [];
        return [...emails, ...texts, ...slackMessages].sort((a, b) => b.sentAt.localeCompare(a.sentAt)).slice(0, limit);
      },
      replyToEmail: async (input) => postDemoReply(caught.dir, await cloud.inboundEmailInProcess(DEMO_ACCOUNT_ID), input),
      async stop() {
        await cloud.stop().catch((error: unknown) => log('Stopping the embedded cloud failed', error));
        await db.close().catch((error: unknown) => log('Closing the embedded database failed', error));
        await sandbox.stop().catch((error: unknown) => log('Stopping the sandbox failed', error));
        await caught.stop().catch((error: unknown) => log('Stopping the mail catcher failed', error));
        await demoDns.stop().catch((error: unknown) => log('Stopping the DNS stand-in failed', error));
        await (await slack)?.stop().catch((error: unknown) => log('Stopping the Slack stand-in failed', error));
      },
    };
    return stack;
  } catch (error) {
    const failed = await openingFailure();
    await startedCloud?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    await sandbox.stop().catch(() => undefined);
    await mail?.stop().catch(() => undefined);
    await dns?.stop().catch(() => undefined);
    throw failed ? new EmbeddedStartError('database', dataDir, failed.reason) : new EmbeddedStartError(stage, dataDir, error);
  }
}
