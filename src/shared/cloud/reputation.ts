import { z } from 'zod';

/**
 * Settings → Reputation: where reviews are left, whether review requests may be sent, and their
 * wording. The wording takes merge fields ({{contact.first_name}}, {{user.name}}…) and
 * {{review_link}}. The Review Request action and manual sends use it.
 */
export const reputationSettingsSchema = z.object({
  reviewLink: z.string().url().max(2048).nullable(),
  requestsEnabled: z.boolean(),
  emailSubject: z.string().min(1).max(500),
  emailBody: z.string().min(1).max(20_000),
  smsBody: z.string().min(1).max(1600),
  updatedAt: z.string().nullable(),
});
export type ReputationSettings = z.infer<typeof reputationSettingsSchema>;

export const updateReputationSettingsSchema = z
  .object({
    reviewLink: z.string().trim().url().max(2048).refine((u) => /^https:\/\//.test(u), 'the review link must be an https:// address').nullable().optional(),
    requestsEnabled: z.boolean().optional(),
    emailSubject: z.string().trim().min(1).max(500).optional(),
    emailBody: z.string().trim().min(1).max(20_000).optional(),
    smsBody: z.string().trim().min(1).max(1600).optional(),
  })
  .strict();
export type UpdateReputationSettings = z.infer<typeof updateReputationSettingsSchema>;

/** A review request as the contact's record shows it; Delivered is reported for SMS only. */
export const reviewRequestStatusSchema = z.enum(['queued', 'sent', 'delivered', 'failed']);
export const reviewRequestSchema = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  senderUserId: z.string().nullable(),
  status: reviewRequestStatusSchema,
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

export const DEFAULT_REPUTATION_WORDING = {
  emailSubject: 'How was your visit, {{contact.first_name}}?',
  emailBody:
    '<p>Hi {{contact.first_name}},</p><p>Thank you for visiting {{account.name}}. Would you share how it went? It takes a minute and helps others find us.</p><p><a href="{{review_link}}">Leave a review</a></p><p>{{user.name}}</p>',
  smsBody: 'Hi {{contact.first_name}}, thank you for visiting {{account.name}}! Would you leave us a quick review? {{review_link}}',
};
