import type { PgBoss } from 'pg-boss';
import type { Queryable } from '../../db';

/** pg-boss queues of the engine. Jobs carry ids only; what they mean is in our tables. */
export const QUEUES = {
  /** Run (or resume) one step of one run: `{ runId, stepKey }`. */
  step: 'automation.step',
  /** Every minute: dispatch events a lost NOTIFY left behind, re-deliver steps whose job was lost. */
  sweep: 'automation.sweep',
  /** Daily: purge the execution log, runs and events past each account's retention. */
  purge: 'automation.purge',
} as const;

export interface StepJob {
  runId: string;
  stepKey: string;
}

/** pg-boss's database port over one of OUR transactions: a job sent through it commits or rolls back with the transaction. */
export const inTransaction = (tx: Queryable) => ({
  executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.query(text, values ?? []) }),
});

export interface JobTimings {
  /** A claimed step belongs to its worker this long; pg-boss fails and retries a job active longer. */
  leaseSeconds: number;
  retryLimit: number;
}

/**
 * Sends a step's job inside `tx`. `startAfter` (ISO) delays it (a Wait); a delayed job is kept at
 * least until a week after it is due (pg-boss drops queued jobs past their retention).
 */
export async function sendStepJob(boss: PgBoss, tx: Queryable, job: StepJob, nowMs: number, startAfter?: string): Promise<string | null> {
  const dueInSeconds = startAfter ? Math.max(0, (Date.parse(startAfter) - nowMs) / 1000) : 0;
  return boss.send(QUEUES.step, job, {
    db: inTransaction(tx),
    ...(startAfter ? { startAfter: new Date(startAfter) } : {}),
    retentionSeconds: Math.ceil(dueInSeconds + 7 * 86_400),
  });
}
