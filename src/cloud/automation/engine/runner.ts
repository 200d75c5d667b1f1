import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { PgBoss } from 'pg-boss';
import type { Contact } from '../../../shared/cloud/entities';
import type { ActionType, Step } from '../../../shared/cloud/workflows';
import { CONTACT_COLUMNS, toContact } from '../../contacts/rows';
import type { Database, Queryable } from '../../db';
import type { UnitOfWork } from '../../db/unit-of-work';
import { actionFor } from '../actions/registry';
import type { AccountInfo, ActionContext, ActionResult, Clock, Wake } from '../actions/types';
import { loadMergeData } from '../merge-data';
import { renderTemplate, TemplateError, type MergeData } from '../merge-fields';
import type { AutomationPorts } from '../ports';
import { accountInfo } from './account-info';
import { conditionsHold } from './conditions';
import { EffectFailed, EffectInDoubt, performDbEffect, performEffect } from './effects';
import { HeldWrite } from './held-write';
import { inTransaction, QUEUES, sendStepJob, type StepJob } from './jobs';
import type { WorkflowPlan } from './plan';
import { endRun, insertStep, isActiveRun, loadPlan, RUN_COLUMNS, STEP_COLUMNS, type RunRow, type StepRow } from './store';
import { withBlanks } from './step-reason';

export interface RunnerDeps {
  db: Database;
  boss: PgBoss;
  clock: Clock;
  ports: AutomationPorts;
  log: Logger;
  leaseSeconds: number;
  /** Wakes step workers of this process for `count` step jobs that are due now. */
  wakeWorkers: (count: number) => void;
}

interface Claim {
  run: RunRow;
  step: StepRow;
  plan: WorkflowPlan;
  definition: Step;
  wake: Wake | null;
  /** Set when the step was claimed inline: its backstop job (deleted once the step is recorded). */
  backstopJobId?: string | null;
}

/**
 * A worker that finishes a step runs the run's next step itself when it is due now (no pg-boss send,
 * fetch and complete in between) — at most this many steps and this share of the lease per job, so
 * one long run cannot hold a worker while other runs' jobs wait.
 */
const INLINE_STEPS = 25;
const INLINE_LEASE_SHARE = 0.25;

/** How a job attempt ended, for pg-boss: done, or throw so pg-boss retries it with backoff. */
export type Attempt = { retryCount: number; retryLimit: number };

const iso = (ms: number): string => new Date(ms).toISOString();
/** This process, as recorded on the steps it claims. */
const WORKER = `${hostname()}:${process.pid}`;
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The step's claim lapsed and another attempt took it over before this one wrote anything: that one records it. */
class ClaimLost extends Error {}

/** Locks the run and this attempt's step row together; no row when the attempt no longer holds the step. */
const LOCK_MINE = `SELECT ${RUN_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}
  FROM workflow_runs r JOIN run_steps s ON s.run_id = r.id AND s.step_key = $2 AND s.status = 'running' AND s.attempts = $3
 WHERE r.id = $1 FOR NO KEY UPDATE`;

/**
 * Runs one step of one run, exactly once in effect:
 *  1. claim (one transaction): the step is still open, its run is active, nobody else holds it →
 *     it becomes `running` under a lease; a duplicate job, a finished step or a stopped run end here;
 *  2. execute the action outside any transaction (its side effects go through the intent ledger);
 *  3. finish (one transaction): record the outcome in the log AND create the next step and its job
 *     — or the wait, or the run's end — together. A worker that dies between 1 and 3 loses nothing:
 *     its lease lapses, pg-boss re-delivers the job, the next attempt re-runs the action, and the
 *     ledger hands back every effect already performed.
 * When the next step is due now, 3 inserts it already claimed by this worker and the worker runs it
 * at once (inline) — the same three phases, minus the pg-boss round trips in between.
 */
export class StepRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(job: StepJob, attempt: Attempt): Promise<void> {
    let claim = await this.claim(job);
    const began = this.deps.clock.now();
    const budgetMs = this.deps.leaseSeconds * 1000 * INLINE_LEASE_SHARE;
    for (let steps = 1; claim; steps += 1) {
      const mayInline = steps < INLINE_STEPS && this.deps.clock.now() - began < budgetMs;
      // An inline step has no pg-boss delivery of its own: its retries are counted by its attempts.
      const retry = claim.backstopJobId !== undefined ? { retryCount: claim.step.attempts - 1, retryLimit: attempt.retryLimit } : attempt;
      claim = await this.runStep(claim, retry, mayInline);
    }
  }

  /** Runs one claimed step and records it; returns the run's next step when it was claimed inline. */
  private async runStep(claim: Claim, attempt: Attempt, mayInline: boolean): Promise<Claim | null> {
    const started = this.deps.clock.now();
    let result: ActionResult;
    let next: string | null | undefined;
    const blank = new Set<string>();
    // A database-only action's change commits with the step's outcome: one transaction, not two.
    let held = claim.definition.type !== 'if_else' && actionFor(claim.definition.type)?.dbEffectLast && !claim.wake
      ? { write: new HeldWrite(this.deps.db, claim.run.account_id), run: null as RunRow | null, effects: {} }
      : undefined;
    try {
      if (claim.definition.type === 'if_else') {
        ({ result, next } = await this.branch(claim, blank));
      } else {
        result = await this.execute(claim, claim.definition.type, claim.definition.config, blank, held);
      }
    } catch (error) {
      if (held) {
        await held.write.abort();
        held = undefined;
      }
      if (error instanceof ClaimLost) return null;
      if (error instanceof EffectInDoubt || error instanceof EffectFailed || error instanceof TemplateError) {
        result = { status: 'error', reason: message(error) };
      } else if (attempt.retryCount < attempt.retryLimit) {
        const reason = `Attempt ${claim.step.attempts} failed: ${message(error)}. Retrying.`;
        if (claim.backstopJobId === undefined) {
          await this.release(claim, reason);
          throw error; // pg-boss retries the job with backoff
        }
        await this.releaseInline(claim, reason, attempt.retryCount);
        return null;
      } else {
        this.deps.log.warn({ err: error, runId: claim.run.id, step: claim.step.step_key }, 'workflow step failed after its last attempt');
        result = { status: 'error', reason: `Failed after ${claim.step.attempts} attempts: ${message(error)}` };
      }
    }
    const { inline, jobsDue } = await this.finish(claim, result, [...blank], started, next, mayInline, held?.write.isOpen ? held : undefined);
    if (jobsDue > 0) this.deps.wakeWorkers(jobsDue);
    return inline;
  }

  /** Takes the step if it is still to be done; null when there is nothing to do. */
  private async claim(job: StepJob): Promise<Claim | null> {
    const { db, clock, leaseSeconds } = this.deps;
    return db.transaction(async (tx) => {
      const runs = await tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM workflow_runs WHERE id = $1 FOR NO KEY UPDATE`, [job.runId]);
      const run = runs[0];
      if (!run) return null;
      const steps = await tx.query<StepRow>(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = $1 AND step_key = $2 FOR NO KEY UPDATE`, [job.runId, job.stepKey]);
      const step = steps[0];
      if (!step) return null;
      const now = clock.now();
      if (!isActiveRun(run.status)) {
        if (step.status === 'pending' || step.status === 'running' || step.status === 'waiting') {
          await tx.query(`UPDATE run_steps SET status = 'removed', reason = $3, finished_at = $4, lease_until = NULL WHERE run_id = $1 AND step_key = $2`, [
            run.id, step.step_key, run.reason ?? `The run ${run.status}`, iso(now),
          ]);
        }
        return null;
      }
      let wake = (step.wake ?? null) as Wake | null;
      switch (step.status) {
        case 'completed':
        case 'error':
        case 'skipped':
        case 'removed':
          return null; // a duplicate delivery
        case 'running':
          if (step.lease_until && Date.parse(step.lease_until) > now) return null; // its worker is alive
          break; // the worker died: take over
        case 'waiting': {
          wake = await this.takeWake(tx, run, step, now);
          if (!wake) return null; // woken early (a duplicate job); the real one comes later
          break;
        }
        case 'pending':
          break;
      }
      const plan = await loadPlan(tx, run.workflow_id, run.version);
      const definition = plan.step(step.step_id);
      if (!definition) return null;
      const updated = await tx.query<{ attempts: number; started_at: string }>(
        `UPDATE run_steps SET status = 'running', attempts = attempts + 1, lease_until = $3, started_at = coalesce(started_at, $4), wake = $5::jsonb, claimed_by = $6
          WHERE run_id = $1 AND step_key = $2 RETURNING attempts, started_at`,
        [run.id, step.step_key, iso(now + leaseSeconds * 1000), iso(now), wake ? JSON.stringify(wake) : null, WORKER],
      );
      if (run.status === 'waiting') await tx.query(`UPDATE workflow_runs SET status = 'running' WHERE id = $1`, [run.id]);
      return { run, step: { ...step, attempts: updated[0]!.attempts, started_at: updated[0]!.started_at }, plan, definition, wake };
    });
  }

  /** A waiting step's wake: its oldest unconsumed signal (consumed now), else its deadline if passed. */
  private async takeWake(tx: Queryable, run: RunRow, step: StepRow, now: number): Promise<Wake | null> {
    if (step.wait_key) {
      const signals = await tx.query<{ id: number; payload: Record<string, unknown>; created_at: string }>(
        `UPDATE step_signals SET consumed_at = $3 WHERE id = (
           SELECT id FROM step_signals WHERE wait_key = $1 AND account_id = $2 AND consumed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, payload, created_at`,
        [step.wait_key, run.account_id, iso(now)],
      );
      const signal = signals[0];
      if (signal) return { kind: 'signal', waitKey: step.wait_key, payload: signal.payload, receivedAt: signal.created_at };
    }
    if (step.wait_until && Date.parse(step.wait_until) <= now) return { kind: 'deadline', at: step.wait_until };
    return null;
  }

  private async execute(claim: Claim, type: ActionType, rawConfig: unknown, blank: Set<string>, held?: Held): Promise<ActionResult> {
    const definition = actionFor(type);
    if (!definition) return { status: 'skipped', reason: `The "${type}" action is not available on this server yet` };
    const parsed = definition.configSchema.safeParse(rawConfig);
    if (!parsed.success) return { status: 'error', reason: `The action's settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const ctx = await this.context(claim, blank, held);
    if (definition.needsContact !== false && !ctx.contact) return { status: 'skipped', reason: 'This run has no contact (or the contact was deleted)' };
    if (definition.premium && !ctx.account.premiumActionsEnabled) return { status: 'skipped', reason: 'Premium actions are not enabled for this account' };
    if (claim.wake) {
      if (!definition.resume) return { status: 'error', reason: `The "${type}" action cannot resume a wait` };
      return definition.resume(ctx, parsed.data, claim.wake);
    }
    const result = await definition.execute(ctx, parsed.data);
    if (definition.premium && result.status === 'completed') await ctx.metric('premium_execution');
    return result;
  }

  private async branch(claim: Claim, blank: Set<string>): Promise<{ result: ActionResult; next: string | null }> {
    const step = claim.definition;
    if (step.type !== 'if_else') throw new Error('not an If/Else');
    const ctx = await this.context(claim, blank);
    const data = await ctx.mergeData();
    const tags = ctx.contact?.tags ?? [];
    const index = step.branches.findIndex((b) => conditionsHold(b.conditions, data, tags));
    const name = index >= 0 ? step.branches[index]!.name : 'None';
    return {
      result: { status: 'completed', reason: index >= 0 ? `Branch "${name}" matched` : 'No branch matched: took the None branch', output: { branch: name } },
      next: claim.plan.enter(step.id, index),
    };
  }

  private async context(claim: Claim, blank: Set<string>, held?: Held): Promise<ActionContext> {
    const { db, clock, ports, log } = this.deps;
    const { run, step } = claim;
    const [account, contact] = await Promise.all([accountInfo(db, run.account_id), loadContact(db, run.account_id, run.contact_id)]);
    let data: Promise<MergeData> | undefined;
    const scope = { db, accountId: run.account_id, runId: run.id, stepKey: step.step_key };
    // Once a held transaction is open, reads go through it: on PGlite (one connection) a read
    // outside it would wait for it for ever.
    const reader = async (): Promise<Queryable> => (held?.write.isOpen ? (await held.write.uow()).q : db);
    const mergeData = (): Promise<MergeData> => (data ??= reader().then((q) => loadMergeData(q, account, contact, run.context ?? {})));
    return {
      run: {
        id: run.id, accountId: run.account_id, workflowId: run.workflow_id, version: run.version, trigger: run.trigger, startedAt: run.started_at,
        contactId: run.contact_id, context: run.context ?? {}, stopOnResponse: run.stop_on_response,
      },
      step: { key: step.step_key, id: step.step_id, name: step.name, type: step.type as ActionType, attempt: step.attempts },
      contact,
      account,
      clock,
      ports,
      db,
      log: log.child({ runId: run.id, step: step.step_key }),
      mergeData,
      async render(template, options) {
        const loaded = await mergeData();
        return renderTemplate(template, options?.data ? { ...loaded, ...options.data } : loaded, { html: options?.html, blank });
      },
      effect: (key, perform, options) => performEffect(scope, key, perform, options),
      dbEffect: (key, perform) => (held ? this.heldDbEffect(claim, held, key, perform) : performDbEffect(scope, key, perform)),
      async metric(name, subject = '') {
        await (await reader()).query(
          `INSERT INTO step_metrics (run_id, step_id, workflow_id, metric, subject) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [run.id, step.step_id, run.workflow_id, name, subject],
        );
      },
    };
  }

  /**
   * A database-only action's change, in the held transaction that will also record the step: the
   * run and this attempt's step are locked first (so no other attempt can take the step over until
   * it commits), then the ledger row, then the change. It commits with the step's outcome or not at
   * all, so a re-run after a crash finds nothing done; the ledger row is kept for the audit trail and
   * for a step an older worker left half-way (its stored result is handed back, as dbEffect does).
   */
  private async heldDbEffect<T>(claim: Claim, held: Held, key: string, perform: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const uow = await held.write.uow();
    if (!held.run) {
      const rows = await uow.q.query<RunRow & { effects: Record<string, { status: string; result: unknown }> | null }>(
        `${LOCK_MINE.replace(' FROM workflow_runs r', `, (SELECT jsonb_object_agg(e.effect_key, jsonb_build_object('status', e.status, 'result', e.result))
              FROM step_effects e WHERE e.run_id = r.id AND e.step_key = $2) AS effects FROM workflow_runs r`)}`,
        [claim.run.id, claim.step.step_key, claim.step.attempts],
      );
      if (!rows[0]) throw new ClaimLost();
      const { effects, ...run } = rows[0];
      held.run = run;
      held.effects = effects ?? {};
    }
    const stored = held.effects[key];
    if (stored?.status === 'done') return stored.result as T; // done by an attempt that committed it alone
    const result = await perform(uow);
    const recorded = await uow.q.query(
      `INSERT INTO step_effects (run_id, step_key, effect_key, status, result, done_at) VALUES ($1, $2, $3, 'done', $4::jsonb, now())
       ON CONFLICT (run_id, step_key, effect_key) DO NOTHING RETURNING 1 AS ok`,
      [claim.run.id, claim.step.step_key, key, JSON.stringify(result ?? null)],
    );
    if (recorded.length === 0) throw new Error(`The ledger already has "${key}" for this step; not recorded twice`); // rolls the change back
    return result;
  }

  /** Gives the step back after a failed attempt (pg-boss retries the job). */
  private async release(claim: Claim, reason: string): Promise<void> {
    await this.deps.db.query(
      `UPDATE run_steps SET status = 'pending', lease_until = NULL, reason = $4 WHERE run_id = $1 AND step_key = $2 AND status = 'running' AND attempts = $3`,
      [claim.run.id, claim.step.step_key, claim.step.attempts, reason],
    );
  }

  /**
   * Gives an inline step back after a failed attempt: it has no pg-boss job of its own to retry, so
   * its backstop job is replaced by one due after pg-boss's own backoff (1 s, 2 s, 4 s… up to 60 s).
   */
  private async releaseInline(claim: Claim, reason: string, retryCount: number): Promise<void> {
    const { db, boss, clock } = this.deps;
    await db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE run_steps SET status = 'pending', lease_until = NULL, reason = $4 WHERE run_id = $1 AND step_key = $2 AND status = 'running' AND attempts = $3 RETURNING 1`,
        [claim.run.id, claim.step.step_key, claim.step.attempts, reason],
      );
      if (rows.length === 0) return; // the lease lapsed and another attempt took over
      if (claim.backstopJobId) await boss.deleteJob(QUEUES.step, claim.backstopJobId, { db: inTransaction(tx) });
      const now = clock.now();
      await sendStepJob(boss, tx, { runId: claim.run.id, stepKey: claim.step.step_key }, now, iso(now + Math.min(60, 2 ** retryCount) * 1000));
    });
  }

  /**
   * Records the outcome and moves the run on — atomically. When `mayInline` and the next step is due
   * now, it is inserted already claimed by this worker and returned, to be run at once.
   */
  private async finish(
    claim: Claim,
    result: ActionResult,
    blankFields: string[],
    started: number,
    branchNext: string | null | undefined,
    mayInline: boolean,
    held?: Held,
  ): Promise<{ inline: Claim | null; jobsDue: number }> {
    const { db, boss, clock, leaseSeconds } = this.deps;
    const none = { inline: null, jobsDue: 0 };
    const record = async (tx: Queryable, locked: RunRow | null): Promise<{ inline: Claim | null; jobsDue: number }> => {
      const run = locked ?? (await tx.query<RunRow>(LOCK_MINE, [claim.run.id, claim.step.step_key, claim.step.attempts]))[0];
      if (!run) return none; // the claim lapsed and another attempt took over: it records the outcome
      if (claim.backstopJobId) await boss.deleteJob(QUEUES.step, claim.backstopJobId, { db: inTransaction(tx) });
      const now = clock.now();
      const output = result.output === undefined ? null : JSON.stringify(result.output);
      const blank = JSON.stringify(blankFields);
      const reason = withBlanks(result.reason ?? null, blankFields);
      if (result.status === 'waiting') {
        await tx.query(
          `UPDATE run_steps SET status = 'waiting', reason = $3, output = coalesce($4::jsonb, output), blank_fields = $5::jsonb, wait_until = $6, wait_key = $7,
                  lease_until = NULL, wake = NULL WHERE run_id = $1 AND step_key = $2`,
          [run.id, claim.step.step_key, reason, output, blank, result.until ?? null, result.waitKey ?? null],
        );
        if (!isActiveRun(run.status)) return none;
        await tx.query(`UPDATE workflow_runs SET status = 'waiting' WHERE id = $1 AND status = 'running'`, [run.id]);
        const job = { runId: run.id, stepKey: claim.step.step_key };
        const early = result.waitKey
          ? await tx.query(`SELECT 1 FROM step_signals WHERE wait_key = $1 AND account_id = $2 AND consumed_at IS NULL LIMIT 1`, [result.waitKey, run.account_id])
          : [];
        // A signal that came before the wait began wakes it at once; otherwise the deadline's job.
        if (early.length > 0) {
          await sendStepJob(boss, tx, job, now);
          return { inline: null, jobsDue: 1 };
        }
        if (result.until) await sendStepJob(boss, tx, job, now, result.until);
        return none;
      }
      await tx.query(
        `UPDATE run_steps SET status = $3, reason = $4, output = $5::jsonb, blank_fields = $6::jsonb, finished_at = $7, duration_ms = $8,
                lease_until = NULL, wake = NULL WHERE run_id = $1 AND step_key = $2`,
        [run.id, claim.step.step_key, result.status, reason, output, blank, iso(now), Math.max(0, now - started)],
      );
      if (!isActiveRun(run.status)) return none; // stopped meanwhile (Stop on Response, deleted workflow)
      if (result.status === 'error' && result.stopRun) {
        await endRun(tx, run.id, 'failed', result.reason, now);
        return none;
      }
      if (result.status === 'completed' && result.endRun) {
        await endRun(tx, run.id, 'completed', result.reason ?? null, now);
        return none;
      }
      const next = branchNext !== undefined ? branchNext : claim.plan.after(claim.step.step_id, result.status === 'completed' ? (result.skipNext ?? 0) : 0);
      if (!next) {
        await endRun(tx, run.id, 'completed', null, now);
        return none;
      }
      if (run.status === 'waiting') await tx.query(`UPDATE workflow_runs SET status = 'running' WHERE id = $1`, [run.id]);
      const runKeys = { runId: run.id, accountId: run.account_id, workflowId: run.workflow_id, version: run.version, contactId: run.contact_id };
      const inline = mayInline ? { worker: WORKER, leaseUntilMs: now + leaseSeconds * 1000 } : undefined;
      const inserted = await insertStep(tx, boss, runKeys, claim.plan, next, now, inline);
      if (!inserted) return none;
      if (!inline) return { inline: null, jobsDue: 1 };
      const definition = claim.plan.step(next)!;
      return { inline: { run: { ...run, status: 'running' }, step: inserted.step, plan: claim.plan, definition, wake: null, backstopJobId: inserted.jobId }, jobsDue: 0 };
    };
    if (held) return held.write.finish((uow) => record(uow.q, held.run));
    return db.transaction((tx) => record(tx, null));
  }
}

async function loadContact(db: Database, accountId: string, contactId: string | null): Promise<Contact | null> {
  if (!contactId) return null;
  const rows = await db.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 AND c.account_id = $2 AND c.deleted_at IS NULL`, [contactId, accountId]);
  return rows[0] ? toContact(rows[0]) : null;
}

/** A held transaction for a database-only action, and the run row it locked (null until its first write). */
type Held = { write: HeldWrite; run: RunRow | null; effects: Record<string, { status: string; result: unknown }> };

export type { AccountInfo };
