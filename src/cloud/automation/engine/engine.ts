import type { Logger } from 'pino';
import { PgBoss, fromPglite, type Clock as BossClock } from 'pg-boss';
import type { Database } from '../../db';
import { DOMAIN_EVENTS_CHANNEL } from '../../events/domain-events';
import type { AutomationPorts } from '../ports';
import { Dispatcher } from './dispatcher';
import { QUEUES } from './jobs';
import { purgeExpired } from './retention';
import { StepRunner } from './runner';
import { StepWorkers } from './step-workers';
import { sweepLostSteps } from './sweep';

export interface EngineOptions {
  db: Database;
  log: Logger;
  ports: AutomationPorts;
  /** Source of time for pg-boss and the engine; tests pass pg-boss's TestClock. */
  clock?: BossClock;
  /** Seconds a claimed step belongs to its worker (and pg-boss's job expiry). */
  leaseSeconds: number;
  /** Attempts after the first for a step whose action throws. */
  retryLimit: number;
  /** Steps one process runs at once. */
  concurrency: number;
  /** pg-boss supervision cadence (expired jobs are noticed this often). */
  superviseIntervalSeconds: number;
  /** Connections pg-boss's own pool may open (PostgreSQL). */
  poolSize: number;
}

const systemClock = { now: () => Date.now() };

/**
 * The engine's worker side: pg-boss (scheduling, delays, retries, LISTEN wake-ups) plus the
 * dispatcher of domain events and the step runner. API instances do not need it: they only write
 * domain events. `npm run cloud` runs it beside the API; `npm run cloud:worker` runs it alone; any
 * number of processes may run it against one PostgreSQL.
 */
export class AutomationEngine {
  private constructor(
    readonly boss: PgBoss,
    readonly dispatcher: Dispatcher,
    readonly runner: StepRunner,
    private readonly stopListening: () => Promise<void>,
    private readonly options: EngineOptions,
  ) {}

  static async start(options: EngineOptions): Promise<AutomationEngine> {
    const { db, log } = options;
    const clock = options.clock ?? systemClock;
    const common = {
      schema: 'pgboss',
      useListenNotify: true,
      superviseIntervalSeconds: options.superviseIntervalSeconds,
      monitorIntervalSeconds: options.superviseIntervalSeconds,
      ...(options.clock ? { clock: options.clock } : {}),
      registerInstance: false,
    };
    const boss =
      db.handle.kind === 'pglite'
        ? new PgBoss({ ...common, db: fromPglite(db.handle.pglite), backend: 'pglite' })
        : new PgBoss({ ...common, connectionString: db.handle.connectionString, max: options.poolSize, application_name: 'aesthetix-automation' });
    boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
    boss.on('warning', (warning) => log.warn({ warning: warning.message }, 'pg-boss warning'));
    await boss.start();
    const stepQueue = {
      retryLimit: options.retryLimit,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      expireInSeconds: options.leaseSeconds,
      deleteAfterSeconds: 3600,
    };
    // notify off: pg-boss's NOTIFY wakes every step worker of every process per job; we wake one (step-workers.ts).
    await boss.createQueue(QUEUES.step, { ...stepQueue, notify: false });
    await boss.updateQueue(QUEUES.step, { ...stepQueue, notify: false });
    await boss.createQueue(QUEUES.sweep, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
    await boss.createQueue(QUEUES.purge, { retryLimit: 2, expireInSeconds: 3600, deleteAfterSeconds: 86_400 });

    const engineClock = { now: () => clock.now() };
    let workers: StepWorkers | null = null;
    const wakeWorkers = (count: number): void => workers?.wake(count);
    const dispatcher = new Dispatcher({ db, boss, clock: engineClock, log, wakeWorkers });
    const runner = new StepRunner({ db, boss, clock: engineClock, ports: options.ports, log, leaseSeconds: options.leaseSeconds, wakeWorkers });
    workers = await StepWorkers.start(boss, () => runner, { concurrency: options.concurrency, retryLimit: options.retryLimit, log });
    await boss.work(QUEUES.sweep, { pollingIntervalSeconds: 5 }, async () => {
      dispatcher.wake();
      wakeWorkers(await sweepLostSteps(db, boss, engineClock, log));
    });
    await boss.work(QUEUES.purge, { pollingIntervalSeconds: 30 }, async () => {
      await purgeExpired(db, engineClock, log);
    });
    await boss.schedule(QUEUES.sweep, '* * * * *', null, { key: 'every-minute' });
    await boss.schedule(QUEUES.purge, '17 3 * * *', null, { key: 'daily' });

    const stopListening = await db.listen(DOMAIN_EVENTS_CHANNEL, () => dispatcher.wake(), () => dispatcher.wake());
    dispatcher.wake();
    log.info({ database: db.kind, concurrency: options.concurrency }, 'automation engine started');
    return new AutomationEngine(boss, dispatcher, runner, stopListening, options);
  }

  /** Graceful: stops taking jobs, lets running steps finish (up to `timeoutMs`), then closes pg-boss. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.stopListening();
    await this.dispatcher.stop();
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    this.options.log.info('automation engine stopped');
  }
}
