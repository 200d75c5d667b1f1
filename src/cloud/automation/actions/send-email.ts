import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { emailBody } from './email-body';
import { emailAddressProblem } from '../../../shared/cloud/email-address';
import { checkAddresses, copiesNote, libraryAttachments, sendMailMessage } from './mail-message';
import { templateText } from './text-message';
import type { ActionDefinition } from './types';
import { senderProblem } from '../../sending-domains/sender';

/**
 * Send Email: the contact's email over SMTP (nodemailer). Merge fields are HTML-escaped in the
 * body; a template with "Sync Edits to Template" sends the template as it is now; attachments come
 * from the media library; invalid Cc/Bcc addresses are skipped and named in the log while the rest
 * still receive it. Statistics count the primary recipient only: opens (pixel) and clicks (tracked
 * links), seen by the cloud itself, are in the contact's message alone — Cc/Bcc get an untracked copy.
 */
export const sendEmailAction: ActionDefinition<ActionConfig<'send_email'>> = {
  type: 'send_email',
  category: 'communication',
  configSchema: actionConfigSchemas.send_email,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    if (!contact.email) return { status: 'skipped', reason: 'The contact has no email address' };
    const invalid = emailAddressProblem(contact.email, `The contact's email address "${contact.email}" is not valid`);
    if (invalid) return { status: 'skipped', reason: invalid };
    if (contact.dnd.email.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing email' };
    // Only From a verified sending domain of the practice (a step saved before the domain was removed,
    // or its records were), asked before the message is put together; sendMailMessage asks again.
    const sender = await senderProblem(ctx.db, ctx.account.id, config.fromEmail);
    if (sender) return { status: 'error', reason: `${sender}. The email was not sent` };

    const text = await templateText(ctx, config.templateId, config.syncTemplateEdits, { body: config.body, subject: config.subject });
    const subject = (await ctx.render(text.subject)).trim();
    // Text typed in the Message box keeps its paragraphs and line breaks, and goes as text too.
    const { html, text: plain } = await emailBody(text.body, (source, options) => ctx.render(source, options));
    const fromName = (await ctx.render(config.fromName)).trim();
    if (html.trim().length === 0) return { status: 'skipped', reason: 'The email body is empty once its merge fields are filled' };
    const cc = checkAddresses(config.cc);
    const bcc = checkAddresses(config.bcc);
    const files = await libraryAttachments(ctx, config.attachments);
    if (files.missing.length > 0) {
      return { status: 'error', reason: `Attachment${files.missing.length > 1 ? 's' : ''} no longer in the media library: ${files.missing.join(', ')}` };
    }

    const sent = await sendMailMessage(ctx, 'email', {
      purpose: 'contact', fromName, fromEmail: config.fromEmail, to: contact.email, cc: cc.valid, bcc: bcc.valid,
      subject, html, ...(plain ? { text: plain } : {}), attachments: files.files, contactId: contact.id, track: true,
    });
    if ('noServer' in sent) return { status: 'error', reason: 'No mail server is configured for this cloud (SMTP_HOST): the email was not sent' };
    if ('notSent' in sent) return { status: 'error', reason: `${sent.notSent}. The email was not sent` };
    const copies = copiesNote(sent.copies);
    const notes = [
      ...(text.note ? [text.note] : []),
      ...(cc.invalid.length + bcc.invalid.length > 0 ? [`Skipped invalid Cc/Bcc: ${[...cc.invalid, ...bcc.invalid].join(', ')}`] : []),
      ...(copies ? [copies] : []),
    ];
    const output = { messageId: sent.messageId, to: contact.email, cc: cc.valid, bcc: bcc.valid, skippedAddresses: [...cc.invalid, ...bcc.invalid] };
    if (!sent.ok) {
      return { status: 'error', reason: [`${sent.rejected ? 'Rejected' : 'Bounced'}: ${sent.message}`, ...notes].join('. '), output };
    }
    return { status: 'completed', reason: [`Email sent to ${contact.email}`, ...notes].join('. '), output: { ...output, smtpId: sent.smtpId } };
  },
};
