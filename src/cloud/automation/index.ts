import type { Clock as BossClock } from 'pg-boss';
import type { CloudContext } from '../context';
import type { AutomationEngine } from './engine/engine';
import { createAutomationPorts, type AutomationPorts } from './ports';
import { numbersDeps } from '../numbers/deps';
import { scheduleNumberRelease } from '../numbers/release-job';
import { scheduleNumberWebhooks } from '../numbers/webhooks-job';
import { scheduleUnconfirmedSweep } from '../numbers/unconfirmed-job';
import { scheduleTwilioReconcile } from '../numbers/reconcile-job';
import { scheduleDomainRecheck } from '../sending-domains/recheck-job';
import { scheduleSignInHousekeeping } from '../auth/housekeeping-job';

export { enrolContact } from './workflows';
export { signalWaitingSteps } from './signals';
export type { AutomationPorts } from './ports';

export interface AutomationOptions {
  /** Replace some ports (tests: a recording Twilio client, the Slack stand-in). */
  ports?: Partial<AutomationPorts>;
  /** pg-boss's TestClock (tests with a controllable clock); default: the system clock. */
  clock?: BossClock;
}

export interface RunningAutomation {
  engine: AutomationEngine;
  ports: AutomationPorts;
  stop(): Promise<void>;
}

/** Starts the engine's workers (pg-boss, the dispatcher, the step runner) for this cloud's database. */
export async function startAutomation(ctx: Pick<CloudContext, 'db' | 'config' | 'log' | 'publicUrl'>, options: AutomationOptions = {}): Promise<RunningAutomation> {
  const settings = ctx.config.automation;
  const ports: AutomationPorts = { ...createAutomationPorts(ctx.config, () => ctx.publicUrl()), ...options.ports };
  // Loaded only where workers run: an API-only instance (and the desktop until it listens) never loads pg-boss.
  const { AutomationEngine } = await import('./engine/engine');
  const engine = await AutomationEngine.start({
    db: ctx.db,
    log: ctx.log.child({ component: 'automation' }),
    ports,
    clock: options.clock,
    leaseSeconds: settings.leaseSeconds,
    retryLimit: settings.retryLimit,
    concurrency: settings.concurrency,
    superviseIntervalSeconds: settings.superviseIntervalSeconds,
    poolSize: settings.poolSize,
  });
  // Other features' scheduled jobs ride on the same pg-boss (and so run wherever the workers run).
  const numbers = numbersDeps(ctx);
  await scheduleNumberRelease(engine.boss, numbers);
  await scheduleNumberWebhooks(engine.boss, numbers);
  await scheduleUnconfirmedSweep(engine.boss, numbers);
  await scheduleTwilioReconcile(engine.boss, numbers);
  await scheduleDomainRecheck(engine.boss, ctx);
  await scheduleSignInHousekeeping(engine.boss, ctx);
  let stopping: Promise<void> | undefined;
  return { engine, ports, stop: () => (stopping ??= engine.stop()) };
}
