import { z } from 'zod';

/**
 * Saved email and SMS templates (Settings → Templates), used by the workflow actions: Send Email
 * and Internal Notification (email) pick an email template, Send SMS / Manual SMS / Internal
 * Notification (SMS) an SMS template. Bodies are merge-field templates (`{{contact.first_name}}`).
 *
 * "Sync Edits to Template" (Send Email): with sync ON, the step and its template are one text —
 * saving the workflow writes the step's subject and body into the template (refused, not
 * overwritten, when the template changed since the editor read it), and editing the template
 * rewrites every synced step in the workflow drafts. A published version is frozen: a run sends the
 * text of the version it is on, so a template edit goes live when the workflow is published again,
 * like any other draft edit (cloud/templates/sync.ts). With sync OFF the step keeps its own copy,
 * taken when the template was chosen.
 */
const id = z.string().min(1).max(64);

export const templateChannelSchema = z.enum(['email', 'sms']);
export type TemplateChannel = z.infer<typeof templateChannelSchema>;

/** SMS bodies: 1600 characters is Twilio's limit for one message (10 segments). */
export const SMS_TEMPLATE_MAX = 1600;
export const EMAIL_TEMPLATE_MAX = 100_000;

export const messageTemplateSchema = z.object({
  id,
  accountId: id,
  channel: templateChannelSchema,
  name: z.string(),
  /** Email only ('' for SMS). */
  subject: z.string(),
  body: z.string(),
  /** Bumped by every edit; send it back as `expectedVersion` to refuse overwriting someone else's edit. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: id.nullable(),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

const name = z.string().trim().min(1).max(120);

export const createTemplateSchema = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), name, subject: z.string().max(500).default(''), body: z.string().min(1).max(EMAIL_TEMPLATE_MAX) }).strict(),
  z.object({ channel: z.literal('sms'), name, body: z.string().trim().min(1).max(SMS_TEMPLATE_MAX) }).strict(),
]);
export type CreateTemplate = z.infer<typeof createTemplateSchema>;

export const updateTemplateSchema = z
  .object({
    name: name.optional(),
    subject: z.string().max(500).optional(),
    body: z.string().min(1).max(EMAIL_TEMPLATE_MAX).optional(),
    /** The version the editor started from; a newer one on the server → CONFLICT (nothing overwritten). */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();
export type UpdateTemplate = z.infer<typeof updateTemplateSchema>;

/** Which workflow steps use a template (the builder warns before an edit or a delete). */
export const templateUsageSchema = z.object({
  templateId: id,
  steps: z.array(
    z.object({
      workflowId: id,
      workflowName: z.string(),
      stepId: z.string(),
      stepName: z.string(),
      /** Sync Edits to Template is on for this step. */
      synced: z.boolean(),
    }),
  ),
});
export type TemplateUsage = z.infer<typeof templateUsageSchema>;
