import type { Queryable } from '../db';
import { insertDomainEvent } from '../events/domain-events';

/**
 * Wakes workflow steps waiting on `waitKey` (what an action returned as `{ status: 'waiting', waitKey }`):
 * a call's status (`call:<CallSid>`), an answering-machine result, a delivery receipt… Call it in the
 * transaction that records the outside fact (a webhook's). The signal is kept even if no step waits
 * yet — a step that starts waiting later finds it — and each waiting step's `resume` receives the
 * signals in order, one per wake.
 */
export async function signalWaitingSteps(tx: Queryable | { q: Queryable }, input: { accountId: string; waitKey: string; payload: Record<string, unknown> }): Promise<void> {
  const q = 'q' in tx ? tx.q : tx;
  await q.query(`INSERT INTO step_signals (account_id, wait_key, payload) VALUES ($1, $2, $3::jsonb)`, [input.accountId, input.waitKey, JSON.stringify(input.payload)]);
  await insertDomainEvent(q, { accountId: input.accountId, type: 'automation.signal', payload: { waitKey: input.waitKey } });
}
