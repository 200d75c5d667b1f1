import { z } from 'zod';

/**
 * Automation settings (`/v1/automation/settings`): the Company Phone the Call action rings for an
 * unassigned contact, premium actions on/off with the premium executions used, log retention.
 */
export const automationSettingsSchema = z.object({
  /** Settings → Company → Company Phone: what the Call action rings when the contact has no assigned user. */
  companyPhone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +14155550123').nullable(),
  /** Premium actions (Slack) may run, and count premium executions. */
  premiumActionsEnabled: z.boolean(),
  /** How long the execution log, finished runs and domain events are kept (default one year). */
  logRetentionDays: z.number().int().min(1).max(3650),
});
export type AutomationSettings = z.infer<typeof automationSettingsSchema>;
export const updateAutomationSettingsSchema = automationSettingsSchema.partial().strict();
export type UpdateAutomationSettings = z.infer<typeof updateAutomationSettingsSchema>;

/** What the settings routes answer: the settings plus the account's premium usage (read-only). */
export const automationSettingsViewSchema = automationSettingsSchema.extend({
  premiumExecutions: z.object({
    /** Premium action steps completed since the 1st of this month in the practice's time zone. */
    thisMonth: z.number().int(),
    /** … since `since` (the oldest kept in the execution log: counts live in it, so they follow its retention). */
    total: z.number().int(),
    monthStartsAt: z.string(),
    since: z.string().nullable(),
  }),
});
export type AutomationSettingsView = z.infer<typeof automationSettingsViewSchema>;
