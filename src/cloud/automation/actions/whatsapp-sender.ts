import type { ActionContext } from './types';

export interface WhatsAppTemplate {
  contentSid: string;
  name: string;
  body: string;
  /** Placeholders {{1}}, {{2}}… with the sample values the template declared. */
  variables: Record<string, string>;
}

/**
 * The practice's WhatsApp sender (Settings: one of its numbers, enabled as a sender at Twilio) and
 * an APPROVED template by name or Content SID — business-initiated WhatsApp messages must use one
 * (Twilio refuses freeform text outside the 24-hour window with 63016).
 */
export async function whatsAppSender(
  ctx: ActionContext,
  templateName: string,
): Promise<{ from: string; template: WhatsAppTemplate; variables(message: string): Record<string, string> } | { unavailable: string }> {
  const senders = await ctx.db.query<{ number: string }>(
    `SELECT pn.number FROM whatsapp_senders ws JOIN phone_numbers pn ON pn.id = ws.phone_number_id AND pn.deleted_at IS NULL WHERE ws.account_id = $1`,
    [ctx.account.id],
  );
  if (!senders[0]) return { unavailable: 'WhatsApp is not set up: choose the WhatsApp sender number in Settings' };
  const rows = await ctx.db.query<{ content_sid: string; name: string; body: string; variables: Record<string, string> | null; status: string }>(
    `SELECT content_sid, name, body, variables, status FROM whatsapp_templates
      WHERE account_id = $1 AND removed_at IS NULL AND (content_sid = $2 OR name = $2) ORDER BY (status = 'approved') DESC LIMIT 1`,
    [ctx.account.id, templateName],
  );
  const row = rows[0];
  if (!row) return { unavailable: `There is no WhatsApp template "${templateName}"` };
  if (row.status !== 'approved') return { unavailable: `The WhatsApp template "${row.name}" is ${row.status}, not approved: WhatsApp only delivers approved templates` };
  const template: WhatsAppTemplate = { contentSid: row.content_sid, name: row.name, body: row.body, variables: row.variables ?? {} };
  return {
    from: senders[0].number,
    template,
    // The step's message fills the first placeholder; the others keep the template's sample values.
    variables(message) {
      const keys = Object.keys(template.variables).sort((a, b) => Number(a) - Number(b));
      return Object.fromEntries(keys.map((k, i) => [k, i === 0 && message ? message : (template.variables[k] ?? '')]));
    },
  };
}
