import pino from 'pino';
import type twilio from 'twilio';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import type { CloudContext, Principal } from '../../src/cloud/context';
import { numbersDeps, type NumbersDeps } from '../../src/cloud/numbers/deps';
import { purchaseNumbers } from '../../src/cloud/numbers/purchase';
import { TwilioNumberError, type NumberProvider } from '../../src/cloud/numbers/twilio-numbers';
import type { PurchaseOutcome } from '../../src/shared/cloud/numbers';
import { DEMO_ACCOUNT_ID, webhookPaths } from '../../src/cloud/index';
import { newId } from '../../src/cloud/ids';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { startTestCloud, type Backend, type TestCloud } from './cloud-harness';

/**
 * A cloud wired to the Twilio sandbox as in production: the cloud's numbers feature uses the
 * official `twilio` client against the sandbox's REST API, the demo numbers are the sandbox
 * account's, and `deps` reaches the numbers feature directly (for the release job).
 */
export interface NumbersWorld {
  t: TestCloud;
  sandbox: Sandbox;
  /** The official client on the sandbox: what "Twilio" says about the account's numbers. */
  twilio: twilio.Twilio;
  admin: string;
  receptionist: string;
  deps: NumbersDeps;
  stop(): Promise<void>;
}

export async function startNumbersWorld(
  backend: Backend,
  sandboxOptions: Parameters<typeof startSandbox>[0] = {},
  /** Run the automation engine's workers (its pg-boss runs the numbers' release job). */
  options: { workers?: boolean } = {},
): Promise<NumbersWorld> {
  const sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50, ...sandboxOptions });
  let t: TestCloud | undefined;
  try {
    t = await startTestCloud(backend, {
      twilio: { ...SANDBOX_TWILIO_CREDENTIALS, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem, accessTokenTtlSeconds: 3600 },
    }, options.workers ? { automation: {} } : {});
    const cloud = t.cloud;
    for (const n of Object.values(DEMO_NUMBERS)) {
      sandbox.control.addNumber({ phoneNumber: n.number, voiceUrl: cloud.publicUrl + webhookPaths.inbound, statusCallback: cloud.publicUrl + webhookPaths.status });
    }
    const ctx = { db: cloud.db, config: cloud.config, log: pino({ level: 'silent' }), publicUrl: () => cloud.publicUrl } as unknown as CloudContext;
    const [admin, receptionist] = await Promise.all([t.login('admin'), t.login('receptionist')]);
    const started = t;
    return {
      t: started,
      sandbox,
      twilio: createSandboxTwilioClient(sandbox),
      admin: admin.accessToken,
      receptionist: receptionist.accessToken,
      deps: numbersDeps(ctx),
      async stop() {
        await started.stop();
        await sandbox.stop();
      },
    };
  } catch (error) {
    await t?.stop().catch(() => undefined);
    await sandbox.stop();
    throw error;
  }
}

/** Moves a deleted number's clock back: as if it had been deleted `days` ago. */
export async function ageDeletion(world: NumbersWorld, numberId: string, days: number): Promise<void> {
  await world.t.cloud.db.query(
    `UPDATE phone_numbers SET deleted_at = now() - make_interval(secs => $2::float8 * 86400), release_due_at = now() - make_interval(secs => $2::float8 * 86400) + interval '10 days'
      WHERE id = $1 AND status = 'held'`,
    [numberId, days],
  );
}

/** What the sandbox's Twilio account holds for a number: its sid and voice URL, or null. */
export async function heldAtTwilio(world: NumbersWorld, phoneNumber: string): Promise<{ sid: string; voiceUrl: string; voiceFallbackUrl: string; friendlyName: string } | null> {
  const list = await world.twilio.incomingPhoneNumbers.list({ phoneNumber });
  const n = list.find((x) => x.phoneNumber === phoneNumber);
  return n ? { sid: n.sid, voiceUrl: n.voiceUrl, voiceFallbackUrl: n.voiceFallbackUrl, friendlyName: n.friendlyName } : null;
}

/**
 * Another practice on the same platform Twilio account, with `phoneNumber` as one of its numbers:
 * held at the sandbox and recorded on its own row (`status`: live, or deleted and kept).
 */
export async function otherPracticeNumber(
  world: NumbersWorld,
  phoneNumber: string,
  status: 'active' | 'held' = 'active',
): Promise<{ accountId: string; id: string; number: string; sid: string }> {
  const accountId = newId('acc');
  const id = newId('num');
  await world.t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Another spa')`, [accountId]);
  const owned = world.sandbox.control.addNumber({ phoneNumber, voiceUrl: world.t.cloud.publicUrl + webhookPaths.inbound });
  await world.t.cloud.db.query(
    `INSERT INTO phone_numbers (id, account_id, number, name, twilio_sid, status, deleted_at, release_due_at)
     VALUES ($1, $2, $3, 'Their line', $4, $5, CASE WHEN $5 = 'held' THEN now() END, CASE WHEN $5 = 'held' THEN now() + interval '10 days' END)`,
    [id, accountId, phoneNumber, owned.sid, status],
  );
  return { accountId, id, number: phoneNumber, sid: owned.sid };
}

/** The demo practice's admin, for calling the numbers feature directly. */
export const numbersAdmin: Principal = { userId: DEMO_USERS.admin.id, accountId: DEMO_ACCOUNT_ID, role: 'admin', sessionId: 'test' };

/** What the official client throws when Twilio does not answer. */
export const noAnswer = (): TwilioNumberError => new TwilioNumberError('unreachable', 'Twilio could not be reached: socket hang up', null);

/** The practice's numbers feature with Twilio replaced in part. */
export const withTwilio = (world: NumbersWorld, override: Partial<NumberProvider>): NumbersDeps => numbersDeps(world.deps.ctx, { ...world.deps.provider(), ...override });

/** Proceed to Buy for one number as the demo admin, with Twilio replaced in part; its outcome. */
export async function buyAs(world: NumbersWorld, provider: Partial<NumberProvider>, phoneNumber: string, locationId: string | null = null): Promise<PurchaseOutcome> {
  return (await purchaseNumbers(withTwilio(world, provider), numbersAdmin, { country: 'US', numberType: 'local', phoneNumbers: [phoneNumber], locationId })).results[0]!;
}

/** A number the sandbox sells in this area code. */
export async function forSale(world: NumbersWorld, areaCode: string): Promise<string> {
  return (await world.t.api(world.admin, 'GET', `/v1/numbers/available?match=${areaCode}&matchAt=first&limit=1`)).body.numbers[0].phoneNumber as string;
}

/** How many charges the practice's rows of this number carry (a number is billed once a purchase). */
export async function chargesOf(world: NumbersWorld, phoneNumber: string): Promise<number> {
  const rows = await world.t.cloud.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM number_charges WHERE phone_number_id IN (SELECT id FROM phone_numbers WHERE number = $1)`,
    [phoneNumber],
  );
  return rows[0]!.n;
}

/** What Settings → Phone Numbers lists for this number under "Purchases Twilio did not confirm", as the demo admin. */
export async function unconfirmedOnScreen(world: NumbersWorld, phoneNumber: string): Promise<Array<{ id: string; phoneNumber: string; state: string; settledAt: string | null; landedLate?: boolean }>> {
  const listed = await world.t.api(world.admin, 'GET', '/v1/numbers/purchases/unconfirmed');
  if (listed.status !== 200) throw new Error(`the unconfirmed purchases list answered ${listed.status}`);
  return (listed.body as Array<{ id: string; phoneNumber: string; state: string; settledAt: string | null; landedLate?: boolean }>).filter((p) => p.phoneNumber === phoneNumber);
}
