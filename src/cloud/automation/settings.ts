import { z } from 'zod';
import type { CloudContext, Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { forgetAccountInfo } from './engine/account-info';

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

export async function getAutomationSettings(ctx: CloudContext, principal: Principal): Promise<AutomationSettings> {
  const rows = await ctx.db.query<{ company_phone: string | null; premium_actions_enabled: boolean; log_retention_days: number }>(
    `SELECT company_phone, premium_actions_enabled, log_retention_days FROM automation_settings WHERE account_id = $1`,
    [principal.accountId],
  );
  const row = rows[0];
  return { companyPhone: row?.company_phone ?? null, premiumActionsEnabled: row?.premium_actions_enabled ?? false, logRetentionDays: row?.log_retention_days ?? 365 };
}

export async function updateAutomationSettings(ctx: CloudContext, uow: UnitOfWork, principal: Principal, input: Partial<AutomationSettings>): Promise<AutomationSettings> {
  await uow.q.query(
    `INSERT INTO automation_settings (account_id, company_phone, premium_actions_enabled, log_retention_days)
     VALUES ($1, $2, coalesce($3, false), coalesce($4, 365))
     ON CONFLICT (account_id) DO UPDATE SET
       company_phone = CASE WHEN $5::boolean THEN $2 ELSE automation_settings.company_phone END,
       premium_actions_enabled = coalesce($3, automation_settings.premium_actions_enabled),
       log_retention_days = coalesce($4, automation_settings.log_retention_days),
       updated_at = now()`,
    [uow.accountId, input.companyPhone ?? null, input.premiumActionsEnabled ?? null, input.logRetentionDays ?? null, input.companyPhone !== undefined],
  );
  await uow.audit(principal.userId, 'automation.settings', 'account', uow.accountId, { fields: Object.keys(input) });
  const rows = await uow.q.query<{ company_phone: string | null; premium_actions_enabled: boolean; log_retention_days: number }>(
    `SELECT company_phone, premium_actions_enabled, log_retention_days FROM automation_settings WHERE account_id = $1`,
    [uow.accountId],
  );
  forgetAccountInfo(ctx.db, uow.accountId);
  return { companyPhone: rows[0]!.company_phone, premiumActionsEnabled: rows[0]!.premium_actions_enabled, logRetentionDays: rows[0]!.log_retention_days };
}
