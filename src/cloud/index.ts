import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import type { LoginResponse } from '../shared/cloud/auth';
import { AI_WRITE_WINDOW_SECONDS } from './ai/write';
import { hashPassword } from './auth/passwords';
import { signInInProcess } from './auth/sessions';
import { inboundEmailSecret, signInboundEmail } from './messaging/inbound-email-signature';
import { inboundEmailPath, secretGeneration } from './messaging/inbound-email-settings';
import { loadKeyRing } from './keys/load';
import { createCloudLogger, SecretPathParams } from './logging';
import { sandboxConfig, type CloudConfig } from './config';
import type { CloudContext } from './context';
import { migrate, openDatabase, type Database } from './db';
import { buildApp, type AppState } from './http/app';
import type { Admission } from './http/admission';
import { OutboundHttp } from './http/outbound';
import { pruneThrottle } from './http/throttle';
import { RealtimeHub } from './realtime/hub';
import { startTaskExpiry } from './tasks/expiry';
import { reconcileStrandedTexts, twilioReady } from './tasks/text-reconcile';
import { seedDemo, type SeedResult } from './seed';
import { createTwilioRest, type TwilioRest } from './telephony/rest';
import { installTwoFactor, type TwoFactorOptions } from './twofa';
import type { KeyRing } from './keys/key-ring';
import { startAutomation, type AutomationOptions, type RunningAutomation } from './automation';

export { aiSettingsFromEnv, configFromEnv, sandboxConfig, parseConfig, ConfigError, SANDBOX_TWILIO_CREDENTIALS, type CloudConfig } from './config';
export { openDatabase, migrate, cachedPgliteTemplate, readPgliteTemplate, type Database } from './db';
export { openingDatabase } from './db/opening-database';
export { seedDemo, DEMO_ACCOUNT_ID, DEMO_USERS, DEMO_PASSWORD, DEMO_NUMBERS, DEMO_LOCATIONS, DEMO_BLOCKED_CALLER, type SeedResult } from './seed';
export { webhookPaths } from './telephony/webhook-params';
export { RebasedHttpClient, type TwilioRest } from './telephony/rest';
export type { RealtimeHub } from './realtime/hub';
export type { CloudContext, Principal } from './context';
export { requireAuth, principalOf } from './http/auth-hook';
export { parseInput } from './http/problem';
export { OutboundHttp, type ResolveHost } from './http/outbound';
export { ApiError } from './errors';
export { write, type UnitOfWork } from './db/unit-of-work';
export { enrolContact, signalWaitingSteps, type AutomationOptions, type RunningAutomation } from './automation';
export { bookAppointment, updateAppointment, nextAppointment } from './appointments/service';
export { createTask, type NewTask } from './tasks/service';
export { claimTask, finishTask, startTask } from './tasks/work';
export { insertDomainEvent, recordDomainEvent, type DomainEventType, type NewDomainEvent } from './events/domain-events';
export { totpCodeAt, type TwoFactorOptions, type EmailSender, type SmsSender, type OutgoingEmail, type OutgoingSms } from './twofa';

export interface StartCloudOptions {
  /** Full configuration; default: sandbox mode, port 0, PGlite in memory. */
  config?: CloudConfig;
  /** Use this database (not closed by stop()), possibly still opening (openingDatabase); default: opened from config. */
  db?: Database;
  /** Seed the demo practice when the database has no accounts (embedded default, dev). */
  seed?: boolean;
  /** On PGlite, a new database starts from this empty data folder instead of running initdb (db/pglite-template.ts). */
  pgliteTemplate?: () => Promise<Blob | undefined>;
  /** Replace the Twilio REST client (tests). */
  twilioRest?: TwilioRest;
  /** Replace the client for practice-configured URLs (tests: another resolver, or sandbox mode's loopback refused). */
  outbound?: OutboundHttp;
  /** Replace the standard logger (createCloudLogger: the redaction of credentials in URLs is then yours). */
  logger?: Logger;
  /** Where the standard logger writes (default stdout); tests capture a whole session's log with it. */
  logStream?: DestinationStream;
  /** Registers more routes before listening (e.g. a feature built elsewhere, or test hooks). */
  extraRoutes?: (app: FastifyInstance, ctx: CloudContext) => Promise<void> | void;
  /** Two-factor profile changes (/v1/2fa): replace the clock or the delivery adapters (tests). */
  twoFactor?: TwoFactorOptions;
  /** The automation engine's workers (when config.automation.workers): replace its ports or clock (tests). */
  automation?: AutomationOptions;
  /**
   * Start those workers after the API listens instead of before (the desktop's embedded default:
   * signing in and registering the phone do not need them). Events recorded meanwhile are durable
   * and dispatched when they start; `workersStarted` settles then (a failure is logged).
   */
  workersAfterListening?: boolean;
  /**
   * With `workersAfterListening`: wait for this too before starting them (the embedded default
   * waits for the phone to be ready, so they do not compete with its start). A stop meanwhile
   * does not wait for it, and the workers then never start.
   */
  workersWhen?: Promise<void>;
}

export interface RunningCloud {
  /** Base URL of the API, e.g. http://127.0.0.1:53211 */
  url: string;
  port: number;
  /** The URL Twilio webhooks are signed against. */
  publicUrl: string;
  config: CloudConfig;
  db: Database;
  hub: RealtimeHub;
  app: FastifyInstance;
  /** The admission gates (http/admission.ts): in-flight and waiting requests per class. */
  admission: Admission;
  seed: SeedResult | null;
  /** The automation engine's workers in this process (null: config.automation.workers is off, or not started yet). */
  readonly automation: RunningAutomation | null;
  /** Settles once the workers run (at once unless `workersAfterListening`); never rejects. */
  workersStarted: Promise<void>;
  /**
   * Signs a user of this cloud in without a password (auth/sessions.ts signInInProcess): only for the
   * process that started it, which owns its database anyway — the embedded default's demo receptionist.
   */
  signInInProcess(input: { email: string; deviceName: string }): Promise<LoginResponse>;
  /**
   * A practice's inbound email webhook and its signature for a raw message — sandbox mode only: the
   * embedded default's Demo inbox posts a demo reply through the same signed webhook a provider uses.
   */
  inboundEmailInProcess(accountId: string): Promise<{ url: string; sign(raw: Buffer): string }>;
  /** Graceful: stops taking requests, lets in-flight ones finish, closes sockets and the database. */
  stop(): Promise<void>;
}

/** Starts the cloud API in this process (the CLI, tests and the desktop's embedded mode use this). */
export async function startCloud(options: StartCloudOptions = {}): Promise<RunningCloud> {
  const config = options.config ?? sandboxConfig({ dataDir: 'memory://', logLevel: 'silent' });
  // Filled by the route table; the standard logger redacts what it lists.
  const secretPaths = new SecretPathParams();
  const log = options.logger ?? createCloudLogger(config, options.logStream, secretPaths);
  const ownsDb = !options.db;
  // Made after the start (below): argon2 at the OWASP cost is ~100 ms of CPU over both cores of a
  // small machine, which the way to "Ready for calls" shared them with (issue #21).
  let dummyHash: Promise<string> | undefined;
  const dummyPasswordHash = (): Promise<string> => {
    if (!dummyHash) {
      dummyHash = hashPassword(randomBytes(16).toString('hex'), config.argon2);
      dummyHash.catch(() => undefined); // a failure is the sign-in's to report, when one needs it
    }
    return dummyHash;
  };
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, pools: config.load, pgliteTemplate: options.pgliteTemplate }));
  let automation: RunningAutomation | null = null;
  let taskExpiry: ReturnType<typeof startTaskExpiry> | null = null;
  /** Closed if the start fails after it was built. */
  let builtApp: FastifyInstance | undefined;
  try {
    const loaded: { keys?: KeyRing } = {};
    let publicUrl = config.publicUrl ?? '';
    const ctx: CloudContext = {
      db,
      config,
      log,
      // Loaded once the app is built (below): the routes read them per request, never while building.
      get keys(): KeyRing {
        if (!loaded.keys) throw new Error('The server keys were read before they were loaded');
        return loaded.keys;
      },
      get dummyPasswordHash() {
        return dummyPasswordHash();
      },
      twilioRest: options.twilioRest ?? createTwilioRest(config),
      outbound: options.outbound ?? new OutboundHttp({ allowLoopback: config.sandbox }),
      publicUrl: () => publicUrl,
    };
    const hub = new RealtimeHub(db, log);
    const state: AppState = { accepting: true };
    // Built first, since building needs neither the database nor the keys: with the embedded
    // default's database still opening on its thread (openingDatabase), the route tables are made
    // meanwhile instead of after it (issue #21). Nothing is served until it listens, further down.
    const { app, admission, router } = await buildApp(ctx, hub, log, state, secretPaths);
    builtApp = app;
    await migrate(db);
    loaded.keys = await loadKeyRing(config, db, log);
    const seed = options.seed ? await seedDemo(db, { argon2: config.argon2 }) : null;
    await hub.start();
    // Stranded texts are settled only where texts can be sent (Twilio configured). Each sweep also
    // drops rate-limit counters past the longest window: public link clicks make one per address.
    const longestThrottleWindow = Math.max(config.loginWindowSeconds, config.linkClickWindowSeconds, AI_WRITE_WINDOW_SECONDS);
    const pruneCounters = () => pruneThrottle(db, longestThrottleWindow).catch((error: unknown) => log.error({ err: error }, 'rate-limit counters prune failed'));
    taskExpiry = startTaskExpiry(db, log, 60_000, () => Promise.all([twilioReady(config) ? reconcileStrandedTexts(ctx) : undefined, pruneCounters()]));
    const deferWorkers = options.workersAfterListening === true;
    automation = config.automation.workers && !deferWorkers ? await startAutomation(ctx, options.automation) : null;
    // Its routes re-seal authenticator secrets under the current key first: after the keys.
    (await installTwoFactor(ctx, options.twoFactor, (stop) => app.addHook('onClose', stop)))(router, ctx);
    if (options.extraRoutes) await app.register(async (scope) => options.extraRoutes!(scope, ctx));
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    if (!publicUrl) publicUrl = url;
    log.info({ url, publicUrl, database: db.kind, sandbox: config.sandbox }, 'cloud API listening');
    if (config.sandbox) {
      // Loud on purpose: in sandbox mode webhooks signed with the published sandbox token are accepted.
      log.warn(
        { sandbox: true, host: config.host, twilioRestBaseUrl: config.twilio.restBaseUrl },
        'SANDBOX MODE: Twilio webhooks are checked against the sandbox’s PUBLISHED auth token; this server listens on loopback only and must never face real callers',
      );
    }

    let stopRequested: () => void = () => undefined;
    const stopped = new Promise<'stopped'>((resolve) => (stopRequested = () => resolve('stopped')));
    const workersGate = Promise.race([(options.workersWhen ?? Promise.resolve()).then(() => 'go' as const, () => 'go' as const), stopped]);
    // The sign-in's stand-in hash, with the workers: once listening, or once the embedded phone is ready.
    void workersGate.then((gate) => {
      if (gate === 'go') void dummyPasswordHash();
    });
    const workersStarted: Promise<void> =
      config.automation.workers && deferWorkers
        ? workersGate.then(async (gate) => (gate === 'go' ? startAutomation(ctx, options.automation) : null)).then(
            (started) => void (automation = started),
            (error: unknown) => log.error({ err: error }, 'the automation workers could not start: workflows will not run until the cloud API restarts'),
          )
        : Promise.resolve();

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        state.accepting = false;
        stopRequested();
        await workersStarted;
        await automation?.stop();
        await taskExpiry?.stop();
        await hub.stop();
        const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
        try {
          await app.close();
        } finally {
          clearTimeout(force);
        }
        if (ownsDb) await db.close();
        log.info('cloud API stopped');
      })());
    return {
      url,
      port,
      publicUrl,
      config,
      db,
      hub,
      app,
      admission,
      seed,
      get automation() {
        return automation;
      },
      workersStarted,
      signInInProcess: (input) => signInInProcess(ctx, input),
      async inboundEmailInProcess(accountId) {
        if (!config.sandbox) throw new Error('Demo replies are posted in-process only in sandbox mode (the embedded default)');
        // The practice's current secret: after an admin's Rotate secret, the demo inbox signs with the new one.
        const secret = inboundEmailSecret(ctx.keys, accountId, await secretGeneration(db, accountId));
        return { url: `${url}${inboundEmailPath(accountId)}`, sign: (raw) => signInboundEmail(secret, raw) };
      },
      stop,
    };
  } catch (error) {
    await automation?.stop().catch(() => undefined);
    await taskExpiry?.stop();
    await builtApp?.close().catch(() => undefined);
    if (ownsDb) await db.close().catch(() => undefined);
    throw error;
  }
}
