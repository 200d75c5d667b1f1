import { SMTPServer } from 'smtp-server';
import { hashPassword } from '../../src/cloud/auth/passwords';
import { mailText } from '../../src/main/embedded/mail-catcher';
import { newId } from '../../src/cloud/ids';
import { SANDBOX_TWILIO_CREDENTIALS, type CloudConfig } from '../../src/cloud/config';
import { webhookPaths } from '../../src/cloud/index';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { ActionType, WorkflowDocument } from '../../src/shared/cloud/workflows';
import { fastArgon, startTestCloud, type Backend, type TestCloud, type TestCloudPlugs } from './cloud-harness';

/** Test support for the communication actions and their settings (templates, media, Slack…). */

/**
 * A second practice with its own admin, signed in: every id of the first account must be
 * invisible to it (404), and its own ids to the first account's users.
 */
export async function otherPracticeAdmin(t: TestCloud): Promise<{ accountId: string; userId: string; token: string }> {
  const accountId = newId('acc');
  const userId = newId('usr');
  const email = `${userId}@other-spa.example`;
  await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Other Spa')`, [accountId]);
  await t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ($1, $2, $3, 'Other Admin', 'admin', $4)`, [
    userId, accountId, email, await hashPassword('other-spa-password', fastArgon),
  ]);
  const res = await t.api(undefined, 'POST', '/v1/auth/login', { email, password: 'other-spa-password', deviceName: 'test' });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accountId, userId, token: res.body.accessToken };
}

/** Uploads raw bytes to the media library. */
export async function upload(t: TestCloud, token: string, name: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const response = await fetch(`${t.cloud.url}/v1/media?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: bytes,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A cloud whose Twilio client talks to a running sandbox that owns the demo numbers (SMS, WhatsApp, voice). */
export async function startCommsCloud(
  backend: Backend,
  overrides: Partial<CloudConfig> = {},
  extra: TestCloudPlugs = { automation: {} },
): Promise<{ t: TestCloud; sandbox: Sandbox; stop(): Promise<void> }> {
  const sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50, sayMsPerChar: 2 });
  const t = await startTestCloud(
    backend,
    { twilio: { ...SANDBOX_TWILIO_CREDENTIALS, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem, accessTokenTtlSeconds: 3600 }, ...overrides },
    extra,
  );
  for (const n of Object.values(DEMO_NUMBERS)) {
    sandbox.control.addNumber({ phoneNumber: n.number, voiceUrl: t.cloud.publicUrl + webhookPaths.inbound, statusCallback: t.cloud.publicUrl + webhookPaths.status });
  }
  return {
    t,
    sandbox,
    async stop() {
      await t.stop();
      await sandbox.stop();
    },
  };
}

/** Creates a contact through the API. */
export async function createContact(t: TestCloud, token: string, input: { name: string; phone?: string; email?: string; assignedUserId?: string }): Promise<string> {
  const res = await t.api(token, 'POST', '/v1/contacts', input);
  if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** A step's statistics (Delivered, Clicked, Failed…) from GET /v1/workflows/:id/statistics. */
export async function stepMetrics(t: TestCloud, token: string, workflowId: string, stepId: string): Promise<Record<string, number>> {
  const res = await t.api(token, 'GET', `/v1/workflows/${workflowId}/statistics`);
  const step = (res.body.steps as { stepId: string; metrics: Record<string, number> }[]).find((s) => s.stepId === stepId);
  return step?.metrics ?? {};
}

/**
 * A one-step workflow started by manual enrolment. The config is the builder's input (defaults
 * omitted): the server parses it with the action's schema, as it does the desktop's.
 */
export function oneStepWorkflow(step: { id: string; name: string; type: ActionType; config: Record<string, unknown> }): Partial<WorkflowDocument> {
  return { trigger: { type: 'manual', filters: {} }, steps: [step] } as unknown as Partial<WorkflowDocument>;
}

export interface SmtpMessage {
  from: string;
  rcptTo: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone (good enough to read HTML and headers). */
  text: string;
}

/**
 * A loopback SMTP server for the email actions' tests: keeps each message with its envelope,
 * refuses recipients `refuse` names (550 at RCPT: Rejected) and messages whose envelope includes
 * an address `bounce` names (554 after DATA: Bounced).
 */
export async function startTestSmtp(options: { refuse?: (address: string) => boolean; bounce?: (address: string) => boolean } = {}) {
  const messages: SmtpMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        const error = new Error('5.1.1 No such user') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        if (rcptTo.some((a) => options.bounce?.(a))) {
          const error = new Error('5.7.1 Message rejected as spam') as Error & { responseCode: number };
          error.responseCode = 554;
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', rcptTo, raw, text: mailText(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    messages,
    /** The cloud's SMTP setting for this server. */
    config: { host: '127.0.0.1', port, secure: false, allowPlaintext: true },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
