import { z } from 'zod';

/**
 * Settings → WhatsApp: the practice's WhatsApp sender (one of its numbers, enabled as a sender at
 * Twilio) and its message templates as Twilio's Content API reports them. Only approved templates
 * can be sent outside WhatsApp's 24-hour window (the Internal Notification action uses them).
 */
export const whatsAppTemplateStatusSchema = z.enum(['approved', 'pending', 'received', 'rejected', 'paused', 'disabled', 'unsubmitted']);

export const whatsAppTemplateSchema = z.object({
  contentSid: z.string(),
  name: z.string(),
  language: z.string(),
  body: z.string(),
  /** Placeholders {{1}}, {{2}}… with the sample values the template declared. */
  variables: z.record(z.string(), z.string()),
  category: z.string().nullable(),
  status: whatsAppTemplateStatusSchema,
  rejectionReason: z.string().nullable(),
  syncedAt: z.string(),
});
export type WhatsAppTemplateView = z.infer<typeof whatsAppTemplateSchema>;

export const whatsAppSettingsSchema = z.object({
  sender: z.object({ phoneNumberId: z.string(), number: z.string(), updatedAt: z.string() }).nullable(),
  templates: z.array(whatsAppTemplateSchema),
  /** When the templates were last read from Twilio (null: never). */
  templatesSyncedAt: z.string().nullable(),
});
export type WhatsAppSettings = z.infer<typeof whatsAppSettingsSchema>;

export const setWhatsAppSenderSchema = z.object({ phoneNumberId: z.string().min(1).max(64).nullable() }).strict();
