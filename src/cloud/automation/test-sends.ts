import { testEmailSchema, testSendResultSchema, testSmsSchema, type TestEmailInput, type TestSendResult, type TestSmsInput } from '../../shared/cloud/workflow-builder';
import { canonicalEmail } from '../../shared/cloud/email-address';
import { decideTextDestination } from '../call-policy/service';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import type { FeatureRoutes } from '../http/router';
import { dkimSigning, senderProblem } from '../sending-domains/sender';
import { createAutomationPorts, type AutomationPorts } from './ports';
import { renderTemplate, type MergeData } from './merge-fields';
import { emailBody } from './actions/email-body';
import { smsTooLong, smsWithAttachmentLinks } from './actions/sms-body';
import { TRIGGER_LINK_SCOPE, triggerLinkField, triggerLinkKeysIn } from '../../shared/cloud/trigger-link-fields';
import { mintTriggerLinks } from '../trigger-links/tokens';

const fieldsIn = (text: string): string[] => [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!);

/**
 * Send Test Mail / Send Test SMS from the builder's panels (issue [workflow-builder]). Real sends
 * through the same clients the actions use (nodemailer on the configured SMTP server — the mail
 * catcher in the embedded default — and the official Twilio client), to the one address or number
 * the admin typed; merge fields are filled with sample values and named in the answer. No SMTP
 * server configured → a plain 409, never a pretend success; a From Email off the practice's
 * verified sending domains → the same refusal as saving the step.
 */

/** Sample values for a formatting test: what a real run would fill from the contact, call and appointment. */
const SAMPLE: MergeData = {
  contact: { id: 'sample', name: 'Sam Sample', full_name: 'Sam Sample', first_name: 'Sam', last_name: 'Sample', phone: '+13105550123', email: 'sam@example.com', tags: 'vip', custom_fields: {} },
  user: { name: 'Avery Provider', first_name: 'Avery', email: 'avery@example.com', phone: '+13105550124' },
  call: { disposition: 'Booked', direction: 'inbound', status: 'completed', duration: '95', from: '+13105550123', to: '+13105550100', started_at: 'Dec 1, 2026, 10:30 AM', line: 'Main line' },
  appointment: {
    start_time: 'Dec 2, 2026, 2:00 PM', only_start_date: 'Dec 2, 2026', only_start_time: '2:00 PM', end_time: 'Dec 2, 2026, 3:00 PM', status: 'booked',
    provider: 'Avery Provider', calendar: 'Injectables', location: 'Beverly Hills', notes: '',
  },
  custom: {},
};

function render(text: string, account: { name: string }, html = false, triggerLinks: Record<string, string> = {}): string {
  try {
    return renderTemplate(text, { ...SAMPLE, account: { name: account.name, company_phone: '' }, trigger_link: triggerLinks }, { html });
  } catch (error) {
    throw new ApiError('VALIDATION_FAILED', (error as Error).message);
  }
}

async function accountName(ctx: CloudContext, principal: Principal): Promise<string> {
  const rows = await ctx.db.query<{ name: string }>(`SELECT name FROM accounts WHERE id = $1`, [principal.accountId]);
  return rows[0]?.name ?? 'Your practice';
}

export async function sendTestEmail(ctx: CloudContext, ports: AutomationPorts, principal: Principal, typed: TestEmailInput): Promise<TestSendResult> {
  // Sent From the address in the form a run sends it (international domains in xn--).
  const input = { ...typed, fromEmail: canonicalEmail(typed.fromEmail) ?? typed.fromEmail };
  // A test refuses what a run would: a From Email that is not on a verified sending domain of the practice.
  const sender = await senderProblem(ctx.db, principal.accountId, input.fromEmail);
  if (sender) throw new ApiError('VALIDATION_FAILED', `${sender}.`, { errors: [{ path: 'fromEmail', message: sender }] });
  const mail = ports.mail();
  if (!mail) throw new ApiError('CONFLICT', 'No mail server is configured for this cloud (SMTP_HOST): test emails cannot be sent.');
  // Signed as a run's mail is, so the test shows what receivers will see.
  const signing = await dkimSigning(ctx.db, principal.accountId, input.fromEmail, ports.secrets());
  if (!signing.ok) throw new ApiError('INTEGRATION_NOT_CONFIGURED', `${signing.reason}.`);
  const account = { name: await accountName(ctx, principal) };
  const subject = render(input.subject, account);
  // The body as a run sends it: a typed message keeps its paragraphs and has its text alternative.
  const body = await emailBody(input.body, (source, { html }) => render(source, account, html));
  const info = await mail.sendMail({
    dkim: signing.dkim,
    from: { name: render(input.fromName, account) || account.name, address: input.fromEmail },
    to: canonicalEmail(input.to) ?? input.to,
    subject: `[Test] ${subject}`,
    html: body.html,
    ...(body.text ? { text: body.text } : {}),
  });
  return { sentTo: input.to, providerId: info.messageId ?? null, sampleFields: [...new Set([input.fromName, input.subject, input.body].flatMap(fieldsIn))] };
}

export async function sendTestSms(ctx: CloudContext, ports: AutomationPorts, principal: Principal, input: TestSmsInput): Promise<TestSendResult> {
  const numbers = await ctx.db.query<{ id: string; number: string }>(
    `SELECT id, number FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id = $2) ORDER BY created_at, id LIMIT 1`,
    [principal.accountId, input.fromNumberId],
  );
  const from = numbers[0];
  if (!from) throw new ApiError(input.fromNumberId ? 'NOT_FOUND' : 'CONFLICT', input.fromNumberId ? 'No such number in this practice' : 'The practice has no phone number to send from.');
  // The number is typed in the builder: a test text is a text like any other to the call policy (SMS pumping).
  const destination = await decideTextDestination(ctx.db, principal.accountId, input.to);
  if (!destination.ok) throw new ApiError(destination.code, destination.message);
  // The text as a run sends it: attachments go as links, trigger links as working short links.
  const triggerLinks = await testTriggerLinks(ctx, principal, input.message);
  const body = smsWithAttachmentLinks(render(input.message, { name: await accountName(ctx, principal) }, false, triggerLinks), input.attachmentUrls);
  const tooLong = smsTooLong(body);
  if (tooLong) throw new ApiError('VALIDATION_FAILED', tooLong);
  const sent = `[Test] ${body}`;
  try {
    const message = await ports.twilio().messages.create({ to: input.to, from: from.number, body: sent });
    return { sentTo: input.to, providerId: message.sid, sampleFields: [...new Set(fieldsIn(input.message))].filter((f) => !f.startsWith(`${TRIGGER_LINK_SCOPE}.`)), body: sent };
  } catch (error) {
    const e = error as { status?: number; message?: string };
    if (e.status && e.status >= 400 && e.status < 500) throw new ApiError('VALIDATION_FAILED', `Twilio refused the test SMS: ${e.message ?? 'unknown reason'}`);
    throw error;
  }
}

/**
 * The test text's trigger links: real short links to each link's destination (so the admin can tap
 * them on the test phone), marked as tests so no figure counts them. A link that is gone is refused
 * here, as saving the step would be.
 */
async function testTriggerLinks(ctx: CloudContext, principal: Principal, message: string): Promise<Record<string, string>> {
  const keys = triggerLinkKeysIn(message);
  if (keys.length === 0) return {};
  const minted = await ctx.db.transaction((q) => mintTriggerLinks(q, { accountId: principal.accountId, keys, contactId: null, recipient: null, test: true }, ctx.publicUrl()));
  if (minted.ok) return minted.links;
  const named = minted.missing.map((key) => `{{${triggerLinkField(key)}}}`).join(', ');
  throw new ApiError('VALIDATION_FAILED', `The message names ${named}: no such trigger link in this practice (deleted, or never made). Choose one under the tag icon's Trigger links.`);
}

export const testSendRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'automation';
  let ports: AutomationPorts | undefined;
  const portsOf = () => (ports ??= createAutomationPorts(ctx.config, () => ctx.publicUrl()));
  router.add({
    method: 'POST', url: '/v1/workflow-tests/email', tag, access: 'admin', summary: 'Send Test Mail: the email as the action would send it, merge fields filled with sample values',
    body: testEmailSchema, response: testSendResultSchema, status: 201,
    handler: ({ principal, body }) => sendTestEmail(ctx, portsOf(), principal, body),
  });
  router.add({
    method: 'POST', url: '/v1/workflow-tests/sms', tag, access: 'admin', summary: 'Send Test SMS to one number (with country code), merge fields filled with sample values',
    body: testSmsSchema, response: testSendResultSchema, status: 201,
    handler: ({ principal, body }) => sendTestSms(ctx, portsOf(), principal, body),
  });
};
