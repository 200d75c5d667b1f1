import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { reputationSettings } from '../../reputation/service';
import { emailAddressProblem } from '../../../shared/cloud/email-address';
import { sendMailMessage } from './mail-message';
import { OPTED_OUT, sendTextMessage, senderNumber } from './text-message';
import type { ActionContext, ActionDefinition } from './types';
import { senderProblem } from '../../sending-domains/sender';

const REVIEW_LINK = /\{\{\s*review_link\s*\}\}/g;
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Send Review Request: by email or SMS, worded by Settings → Reputation ({{review_link}} and merge
 * fields), sent on behalf of the contact's assigned user (their name and address as the sender,
 * their number for texts). Statuses (GET /v1/reputation/requests): Queued, Sent, Delivered (SMS
 * only — email reports no delivery), Failed.
 */
export const reviewRequestAction: ActionDefinition<ActionConfig<'review_request'>> = {
  type: 'review_request',
  category: 'communication',
  configSchema: actionConfigSchemas.review_request,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    const settings = await reputationSettings(ctx.db, ctx.account.id);
    if (!settings.requestsEnabled || !settings.reviewLink) {
      return { status: 'skipped', reason: 'Review requests are off: turn them on and set the review link in Settings → Reputation' };
    }
    const link = settings.reviewLink;
    const assigned = await assignedUser(ctx);
    const sender = assigned ?? (await firstAdmin(ctx));
    const onBehalf = assigned ? ` on behalf of ${assigned.name}` : ` on behalf of ${sender?.name ?? 'the practice'} (the contact has no assigned user)`;

    if (config.reviewType === 'sms') {
      if (!contact.phone) return { status: 'skipped', reason: 'The contact has no phone number' };
      if (contact.dnd.sms.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing texts' };
      const from = await senderNumber(ctx, null);
      if (!from) return { status: 'error', reason: 'No phone number to send from: add one under Settings → Phone Numbers' };
      const body = (await ctx.render(settings.smsBody.replace(REVIEW_LINK, link))).trim();
      const sent = await sendTextMessage(ctx, 'review:sms', { channel: 'sms', purpose: 'review', to: contact.phone, from: from.number, body, contactId: contact.id, senderUserId: assigned?.id ?? null });
      if (!sent.ok) {
        if ('notAllowed' in sent) return { status: 'error', reason: `${sent.notAllowed} The review request to ${contact.phone} was not sent.` };
        if (sent.code === OPTED_OUT) return { status: 'skipped', reason: `The contact opted out of texts from ${from.number} (replied STOP)` };
        return { status: 'error', reason: `Twilio refused the review request: ${sent.message}`, output: { messageId: sent.messageId } };
      }
      return { status: 'completed', reason: `Review request texted to ${contact.phone}${onBehalf}`, output: { messageId: sent.messageId, sid: sent.sid } };
    }

    const noEmail = 'The contact has no valid email address';
    const invalid = contact.email ? emailAddressProblem(contact.email, noEmail) : noEmail;
    if (invalid || !contact.email) return { status: 'skipped', reason: invalid ?? noEmail };
    if (contact.dnd.email.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing email' };
    if (!sender) return { status: 'error', reason: 'Nobody to send the review request on behalf of: the contact has no assigned user and the practice no admin' };
    // From the user's own address, so only when it is on a verified sending domain of the practice.
    const notOurs = await senderProblem(ctx.db, ctx.account.id, sender.email);
    if (notOurs) {
      const who = assigned ? `the contact's assigned user, ${sender.name}` : `${sender.name} (the contact has no assigned user)`;
      return { status: 'error', reason: `The review request goes From ${who}: ${notOurs}. The review request was not sent` };
    }
    const subject = (await ctx.render(settings.emailSubject.replace(REVIEW_LINK, link))).trim();
    const html = await ctx.render(settings.emailBody.replace(REVIEW_LINK, escapeHtml(link)), { html: true });
    const sent = await sendMailMessage(ctx, 'review:email', {
      purpose: 'review', fromName: sender.name, fromEmail: sender.email, to: contact.email, subject, html,
      contactId: contact.id, senderUserId: sender.id, track: true,
    });
    if ('noServer' in sent) return { status: 'error', reason: 'No mail server is configured for this cloud (SMTP_HOST): the review request was not sent' };
    if ('notSent' in sent) return { status: 'error', reason: `${sent.notSent}: the review request was not sent` };
    if (!sent.ok) return { status: 'error', reason: `The review request was refused: ${sent.message}`, output: { messageId: sent.messageId } };
    return { status: 'completed', reason: `Review request emailed to ${contact.email}${onBehalf}`, output: { messageId: sent.messageId } };
  },
};

async function assignedUser(ctx: ActionContext): Promise<{ id: string; name: string; email: string } | null> {
  const id = ctx.contact?.assignedUserId;
  if (!id) return null;
  const rows = await ctx.db.query<{ id: string; name: string; email: string }>(`SELECT id, name, email FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [id, ctx.account.id]);
  return rows[0] ?? null;
}

/** Without an assigned user the practice's first admin is the sender (an address replies reach). */
async function firstAdmin(ctx: ActionContext): Promise<{ id: string; name: string; email: string } | null> {
  const rows = await ctx.db.query<{ id: string; name: string; email: string }>(
    `SELECT id, name, email FROM users WHERE account_id = $1 AND role = 'admin' AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`,
    [ctx.account.id],
  );
  return rows[0] ?? null;
}
