import type { Logger } from 'pino';
import type { Refusal } from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { Database } from '../db';
import { write } from '../db/unit-of-work';
import { closeChallenge } from './challenges';
import type { EmailSender, SmsSender } from './delivery';
import { mask, type Delivery } from './messages';

export interface DeliverDeps {
  db: Database;
  log: Logger;
  now(): number;
  email: EmailSender | null;
  sms: SmsSender | null;
  /** The number SMS come from; unset: the account's first number. */
  smsFrom?: string | undefined;
}

/**
 * Sends after commit, auditing each outcome. A code that cannot be sent closes its challenge
 * (the attempt still counts) and becomes a `delivery_failed` refusal; a failed notice is only logged.
 */
export async function deliverAll(deps: DeliverDeps, principal: Principal, deliveries: readonly Delivery[]): Promise<Refusal | null> {
  for (const d of deliveries) {
    try {
      if (d.channel === 'email') {
        if (!deps.email) throw new Error('no mail server configured');
        await deps.email.send({ to: d.to, subject: d.subject, text: d.body });
      } else {
        if (!deps.sms) throw new Error('no SMS sender configured');
        await deps.sms.send({ to: d.to, from: await smsFrom(deps, principal.accountId), body: d.body });
      }
      await write(deps.db, principal.accountId, (uow) =>
        uow.audit(principal.userId, d.kind === 'code' ? 'twofa.code_delivered' : 'twofa.change_notice_sent', 'challenge', d.challengeId, { channel: d.channel, to: mask(d.channel, d.to) }),
      );
    } catch (error) {
      deps.log.warn({ err: error, channel: d.channel, kind: d.kind }, 'two-factor delivery failed');
      await write(deps.db, principal.accountId, async (uow) => {
        await uow.audit(principal.userId, 'twofa.delivery_failed', 'challenge', d.challengeId, { channel: d.channel, kind: d.kind, to: mask(d.channel, d.to) });
        if (d.kind === 'code' && d.challengeId) await closeChallenge(uow.q, d.challengeId, 'delivery_failed', deps.now());
      });
      if (d.kind === 'code') {
        return {
          status: 'refused',
          reason: 'delivery_failed',
          message: `The code could not be ${d.channel === 'email' ? 'emailed' : 'texted'}: try again later or choose another channel.`,
        };
      }
    }
  }
  return null;
}

async function smsFrom(deps: DeliverDeps, accountId: string): Promise<string> {
  if (deps.smsFrom) return deps.smsFrom;
  const rows = await deps.db.query<{ number: string }>(`SELECT number FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, number LIMIT 1`, [accountId]);
  if (!rows[0]) throw new Error('the account has no number to send SMS from');
  return rows[0].number;
}
