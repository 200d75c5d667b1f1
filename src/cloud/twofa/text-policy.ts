import type { Refusal } from '../../shared/cloud/twofa';
import { decideTextDestination } from '../call-policy/service';
import type { Queryable } from '../db';

/**
 * Where two-factor codes may be texted: only where the practice's call policy lets its texts go
 * (Settings → Call policy), by the very check every other text the cloud sends passes
 * (`decideTextDestination`). A code is a text the practice pays for, and "verify this number"
 * is the classic SMS-pumping path: without this, any signed-in user could have codes texted to
 * premium-rate numbers abroad, a few at a time, forever.
 *
 * - `code`: a code about to be texted to `to` (verifying the profile's phone, a step-up by SMS, a resend).
 * - `new_phone`: a phone change to `to`: refused up front, since the new number could only ever be
 *   verified by a text the policy refuses (and calls to it are refused by the same list).
 */
export async function textPolicyRefusal(
  q: Queryable, accountId: string, to: string, what: 'code' | 'new_phone',
): Promise<{ refusal: Refusal; country: string | null } | null> {
  const decision = await decideTextDestination(q, accountId, to);
  if (decision.ok) return null;
  const lead = what === 'code' ? 'The code cannot be texted to this number.' : 'That number cannot be verified by text message.';
  return { refusal: { status: 'refused', reason: 'destination_not_allowed', message: `${lead} ${decision.message}` }, country: decision.country };
}
