import type { Database } from '../../db';
import { write, type UnitOfWork } from '../../db/unit-of-work';
import { EffectRefused, type EffectOptions } from '../actions/types';

/**
 * The intent ledger (table `step_effects`). A side effect is identified by (run, step key, effect
 * key). Its intent is committed BEFORE it is performed; its result after. So:
 *  - a repeat of a done effect returns the stored result without performing it;
 *  - an effect refused by the provider (EffectRefused) may be tried again;
 *  - an intent without a result (the worker died mid-way, or the call threw without saying whether
 *    the provider acted) is "in doubt": it is performed again only if `reconcile` says it did not
 *    happen; otherwise the step errs with "may or may not have happened" — never twice.
 * Effects on our own tables (`dbEffect`) run in ONE transaction with their ledger row: exact.
 *
 * The window a provider cannot make exact: between the provider acting and our result commit. A
 * crash there leaves the effect in doubt (counted by the crash test; see src/cloud/README.md).
 */
export class EffectInDoubt extends Error {
  constructor(readonly effectKey: string) {
    super(`"${effectKey}" may or may not have happened (an earlier attempt stopped before its result was recorded); not repeated, so it cannot happen twice`);
    this.name = 'EffectInDoubt';
  }
}

/** Thrown when an effect was refused for good: the step ends in error with this reason. */
export class EffectFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EffectFailed';
  }
}

type Stored = { status: 'intent' | 'done' | 'failed' | 'in_doubt'; result: unknown; error: string | null };

export interface LedgerScope {
  db: Database;
  accountId: string;
  runId: string;
  stepKey: string;
}

export async function performEffect<T>(scope: LedgerScope, key: string, perform: () => Promise<T>, options: EffectOptions<T> = {}): Promise<T> {
  const { db, runId, stepKey } = scope;
  const claimed = await db.query<{ attempts: number }>(
    `INSERT INTO step_effects (run_id, step_key, effect_key, status) VALUES ($1, $2, $3, 'intent')
     ON CONFLICT (run_id, step_key, effect_key) DO UPDATE SET status = 'intent', attempts = step_effects.attempts + 1, error = NULL
       WHERE step_effects.status = 'failed'
     RETURNING attempts`,
    [runId, stepKey, key],
  );
  if (claimed.length === 0) {
    const rows = await db.query<Stored>(`SELECT status, result, error FROM step_effects WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`, [runId, stepKey, key]);
    const stored = rows[0]!;
    if (stored.status === 'done') return stored.result as T;
    // An intent without a result: in doubt.
    if (!options.reconcile) {
      await db.query(`UPDATE step_effects SET status = 'in_doubt' WHERE run_id = $1 AND step_key = $2 AND effect_key = $3 AND status = 'intent'`, [runId, stepKey, key]);
      throw new EffectInDoubt(key);
    }
    const found = await options.reconcile();
    if (found !== undefined) {
      await markDone(db, runId, stepKey, key, found);
      return found;
    }
    await db.query(`UPDATE step_effects SET attempts = attempts + 1 WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`, [runId, stepKey, key]);
  }
  let result: T;
  try {
    result = await perform();
  } catch (error) {
    if (error instanceof EffectRefused) {
      // The provider certainly did nothing: the effect may be tried again (or not, if permanent).
      await db.query(`UPDATE step_effects SET status = 'failed', error = $4 WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`, [runId, stepKey, key, error.message]);
      if (error.permanent) throw new EffectFailed(error.message);
    }
    // Anything else leaves the intent standing: in doubt on the next attempt.
    throw error;
  }
  await markDone(db, runId, stepKey, key, result);
  return result;
}

async function markDone(db: Database, runId: string, stepKey: string, key: string, result: unknown): Promise<void> {
  await db.query(
    `UPDATE step_effects SET status = 'done', result = $4::jsonb, done_at = now(), error = NULL WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`,
    [runId, stepKey, key, JSON.stringify(result ?? null)],
  );
}

/** A change to our tables, exactly once: the ledger row and the change commit together. */
export async function performDbEffect<T>(scope: LedgerScope, key: string, perform: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  return write(scope.db, scope.accountId, async (uow) => {
    const claimed = await uow.q.query(
      `INSERT INTO step_effects (run_id, step_key, effect_key, status, done_at) VALUES ($1, $2, $3, 'intent', now())
       ON CONFLICT (run_id, step_key, effect_key) DO NOTHING RETURNING 1 AS ok`,
      [scope.runId, scope.stepKey, key],
    );
    if (claimed.length === 0) {
      const rows = await uow.q.query<Stored>(`SELECT status, result FROM step_effects WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`, [scope.runId, scope.stepKey, key]);
      return rows[0]!.result as T;
    }
    const result = await perform(uow);
    await uow.q.query(`UPDATE step_effects SET status = 'done', result = $4::jsonb WHERE run_id = $1 AND step_key = $2 AND effect_key = $3`, [
      scope.runId, scope.stepKey, key, JSON.stringify(result ?? null),
    ]);
    return result;
  });
}
