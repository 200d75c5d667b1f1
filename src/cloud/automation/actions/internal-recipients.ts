import { isValidPhoneNumber } from 'libphonenumber-js';
import type { ActionConfig } from '../../../shared/cloud/workflows';
import { addressList, canonicalEmail } from '../../../shared/cloud/email-address';
import type { ActionContext } from './types';

/** A team member (or, for email, a custom address) an Internal Notification goes to. */
export interface Recipient {
  userId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
}

type Config = ActionConfig<'internal_notification'>;
type UserRow = { id: string; name: string; email: string; phone: string | null; role: string; team_ids: string[] };

/**
 * Who receives it (the seed's "To User Type"): All Users, the contact's Assigned User (none, or
 * for SMS/WhatsApp one without a valid phone: the step is skipped and the run goes on), Particular Users (in-app also by team and role), Custom
 * Email (email only). Recipients named by several fields get one notification (deduplicated by
 * user and by address); ids of other practices or deleted users are ignored.
 */
export async function resolveRecipients(ctx: ActionContext, config: Config): Promise<{ recipients: Recipient[] } | { skip: string }> {
  const users = await ctx.db.query<UserRow>(
    `SELECT id, name, email, phone, role, team_ids FROM users WHERE account_id = $1 AND deleted_at IS NULL ORDER BY name, id`,
    [ctx.account.id],
  );
  const toRecipient = (u: UserRow): Recipient => ({ userId: u.id, name: u.name, email: u.email, phone: u.phone });
  let chosen: Recipient[] = [];
  switch (config.toUserType) {
    case 'all_users':
      chosen = users.map(toRecipient);
      break;
    case 'assigned_user': {
      const assigned = ctx.contact?.assignedUserId ? users.find((u) => u.id === ctx.contact!.assignedUserId) : undefined;
      if (!assigned) return { skip: ctx.contact ? 'The contact has no assigned user' : 'This run has no contact, so there is no assigned user' };
      // A text needs a number to go to: without one there is no one to send to (skipped, not failed).
      const reach = config.channel === 'sms' || config.channel === 'whatsapp' ? textablePhone(assigned.phone) : null;
      if (reach && 'problem' in reach) return { skip: `The assigned user, ${assigned.name}, has ${reach.problem}` };
      chosen = [toRecipient(assigned)];
      break;
    }
    case 'particular_users': {
      const ids = new Set(config.userIds);
      const teams = config.channel === 'in_app' ? new Set(config.teamIds) : new Set<string>();
      const roles = config.channel === 'in_app' ? new Set<string>(config.roles) : new Set<string>();
      chosen = users.filter((u) => ids.has(u.id) || roles.has(u.role) || (u.team_ids ?? []).some((t) => teams.has(t))).map(toRecipient);
      break;
    }
    case 'custom_email':
      if (config.channel !== 'email') return { skip: 'Custom Email recipients are for email notifications only' };
      for (const template of config.customEmails) {
        for (const address of addressList([await ctx.render(template)])) {
          chosen.push({ userId: null, name: address, email: canonicalEmail(address), phone: null });
        }
      }
      break;
  }
  const seenUsers = new Set<string>();
  const seenEmails = new Set<string>();
  const recipients: Recipient[] = [];
  for (const r of chosen) {
    if (r.userId && seenUsers.has(r.userId)) continue;
    const email = r.email?.toLowerCase();
    if (!r.userId && email && seenEmails.has(email)) continue;
    if (r.userId) seenUsers.add(r.userId);
    if (email) seenEmails.add(email);
    recipients.push(r);
  }
  if (recipients.length === 0) return { skip: 'No team member matches the recipients chosen' };
  return { recipients };
}

/** The number a team member gets texts (SMS/WhatsApp) at, or why they cannot get one. */
export function textablePhone(phone: string | null): { phone: string } | { problem: string } {
  if (!phone) return { problem: 'no phone number on their profile' };
  return isValidPhoneNumber(phone) ? { phone } : { problem: `an invalid phone number on their profile (${phone})` };
}

/**
 * Cc and Bcc without anyone who already gets the alert: an address among the recipients is not
 * copied, and Bcc leaves out what Cc has (case-insensitively), so each person gets one email.
 */
export function distinctCopies(recipients: readonly Recipient[], cc: readonly string[], bcc: readonly string[]): { cc: string[]; bcc: string[] } {
  const seen = new Set(recipients.flatMap((r) => (r.email ? [r.email.toLowerCase()] : [])));
  const unseen = (list: readonly string[]): string[] =>
    list.filter((address) => {
      const key = address.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const ccLeft = unseen(cc);
  return { cc: ccLeft, bcc: unseen(bcc) };
}
