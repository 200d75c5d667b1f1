import type { Queryable } from '../db';
import { countMetric, newLinkToken, trackedLinkPath } from '../messaging/outbound';
import { liveTriggerLinks } from './service';

/**
 * A trigger link made for one contact: a row of `trigger_link_tokens` whose unguessable token is
 * the short link's path (`<public URL>/l/<token>`, served by messaging/routes.ts). The token knows
 * the practice, the link, the contact, and the workflow step (and Manual SMS task) whose message
 * carried it, so a click counts for all of them; the destination is read from the link at the
 * click, so editing it moves every link already sent. A deleted link's tokens keep redirecting.
 */

export interface MintFor {
  accountId: string;
  /** The keys the message names (`{{trigger_link.<key>}}`). */
  keys: readonly string[];
  contactId: string | null;
  /** The number the text goes to (the step's Clicked statistic counts it). */
  recipient: string | null;
  /** The workflow step rendering the message: one token per step and link, however often it is retried. */
  step?: { runId: string; stepKey: string; stepId: string; workflowId: string } | null;
  /** Send Test SMS: a working link that no figure counts. */
  test?: boolean;
}

/** key → short link; or the keys that name no live link of the practice (nothing is made then). */
export type Minted = { ok: true; links: Record<string, string> } | { ok: false; missing: string[] };

export async function mintTriggerLinks(q: Queryable, input: MintFor, publicUrl: string): Promise<Minted> {
  const live = await liveTriggerLinks(q, input.accountId, input.keys);
  const missing = input.keys.filter((key) => !live.has(key));
  if (missing.length > 0) return { ok: false, missing };
  const base = publicUrl.replace(/\/$/, '');
  const links: Record<string, string> = {};
  for (const key of input.keys) {
    const linkId = live.get(key)!;
    const step = input.step ?? null;
    const inserted = await q.query<{ token: string }>(
      `INSERT INTO trigger_link_tokens (token, account_id, link_id, contact_id, run_id, step_key, step_id, workflow_id, recipient, test)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (run_id, step_key, link_id) WHERE run_id IS NOT NULL DO NOTHING RETURNING token`,
      [newLinkToken(), input.accountId, linkId, input.contactId, step?.runId ?? null, step?.stepKey ?? null, step?.stepId ?? null, step?.workflowId ?? null, input.recipient, input.test ?? false],
    );
    // Only a step's token can already exist (an earlier attempt of the same step made it).
    const token = inserted[0]?.token
      ?? (await q.query<{ token: string }>(`SELECT token FROM trigger_link_tokens WHERE run_id = $1 AND step_key = $2 AND link_id = $3`, [step!.runId, step!.stepKey, linkId]))[0]!.token;
    links[key] = base + trackedLinkPath(token);
  }
  return { ok: true, links };
}

/** A Manual SMS step's tokens now belong to the task it queued (the task's text carries them). */
export async function linkTokensToTask(q: Queryable, accountId: string, step: { runId: string; stepKey: string }, taskId: string): Promise<void> {
  await q.query(`UPDATE trigger_link_tokens SET task_id = $4 WHERE account_id = $1 AND run_id = $2 AND step_key = $3`, [accountId, step.runId, step.stepKey, taskId]);
}

/** Where a contact's trigger link goes now, counting nothing (recordTriggerLinkClick's read-only twin, for a HEAD). */
export async function triggerLinkTarget(q: Queryable, token: string): Promise<string | null> {
  const rows = await q.query<{ url: string }>(
    `SELECT l.url FROM trigger_link_tokens k JOIN trigger_links l ON l.id = k.link_id AND l.account_id = k.account_id WHERE k.token = $1`,
    [token],
  );
  return rows[0]?.url ?? null;
}

/**
 * A click on a contact's trigger link: counted (total, first and last click) on the token, on the
 * message that carried it and as the step's Clicked; the destination the link has now, or null
 * for a token that is not one of these.
 */
export async function recordTriggerLinkClick(q: Queryable, token: string): Promise<string | null> {
  const rows = await q.query<{ url: string; message_id: string | null; run_id: string | null; step_id: string | null; workflow_id: string | null; recipient: string | null }>(
    `UPDATE trigger_link_tokens k SET clicks = k.clicks + 1, first_clicked_at = coalesce(k.first_clicked_at, now()), last_clicked_at = now()
       FROM trigger_links l
      WHERE k.token = $1 AND l.id = k.link_id AND l.account_id = k.account_id
      RETURNING l.url, k.message_id, k.run_id, k.step_id, k.workflow_id, k.recipient`,
    [token],
  );
  const hit = rows[0];
  if (!hit) return null;
  if (hit.message_id) await q.query(`UPDATE outbound_messages SET clicked_at = coalesce(clicked_at, now()) WHERE id = $1`, [hit.message_id]);
  await countMetric(q, { run_id: hit.run_id, step_id: hit.step_id, workflow_id: hit.workflow_id, to_address: hit.recipient ?? '' }, 'clicked');
  return hit.url;
}
