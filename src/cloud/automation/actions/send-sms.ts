import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { smsTooLong, smsWithAttachmentLinks } from './sms-body';
import { OPTED_OUT, sendTextMessage, senderNumber } from './text-message';
import { renderContactText } from './trigger-links';
import type { ActionDefinition } from './types';

/**
 * Send SMS: a text to the run's contact through the official `twilio` client. Honours the
 * contact's outbound SMS DND and opt-out (Twilio's 21610 after a STOP); attachments go as links
 * (SMS carries no files); links are tracked (Clicked), trigger links made for the contact (trigger-links.ts); Delivered/Failed come from Twilio's status
 * callbacks (messaging/routes.ts).
 */
export const sendSmsAction: ActionDefinition<ActionConfig<'send_sms'>> = {
  type: 'send_sms',
  category: 'communication',
  configSchema: actionConfigSchemas.send_sms,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    if (!contact.phone) return { status: 'skipped', reason: 'The contact has no phone number' };
    if (contact.dnd.sms.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing texts' };
    const sender = await senderNumber(ctx, config.fromNumberId);
    if (!sender) return { status: 'error', reason: 'No phone number to send from: add one under Settings → Phone Numbers' };
    // A saved SMS template only prefills the step's message in the builder: the step's text is what is sent.
    const rendered = await renderContactText(ctx, config.message, contact.phone, 'the text was not sent');
    if (!rendered.ok) return { status: 'error', reason: rendered.reason };
    const body = smsWithAttachmentLinks(rendered.text, config.attachmentUrls);
    if (body.length === 0) return { status: 'skipped', reason: 'The message is empty once its merge fields are filled' };
    const tooLong = smsTooLong(body);
    if (tooLong) return { status: 'error', reason: tooLong };

    const sent = await sendTextMessage(ctx, 'sms', { channel: 'sms', purpose: 'contact', to: contact.phone, from: sender.number, body, contactId: contact.id, trackLinks: true });
    if (!sent.ok) {
      if ('notAllowed' in sent) {
        await ctx.metric('failed', contact.phone);
        return { status: 'error', reason: `${sent.notAllowed} The text to ${contact.phone} was not sent.` };
      }
      if (sent.code === OPTED_OUT) return { status: 'skipped', reason: `The contact opted out of texts from ${sender.number} (replied STOP)`, output: { messageId: sent.messageId } };
      await ctx.metric('failed', contact.phone);
      return { status: 'error', reason: `Twilio refused the text: ${sent.message}${sent.code ? ` (${sent.code})` : ''}`, output: { messageId: sent.messageId } };
    }
    return { status: 'completed', reason: `Text sent to ${contact.phone} from ${sender.number}`, output: { messageId: sent.messageId, sid: sent.sid, to: contact.phone, from: sender.number } };
  },
};
