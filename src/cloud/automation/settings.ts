import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { forgetAccountInfo } from './engine/account-info';
import {
  automationSettingsViewSchema,
  updateAutomationSettingsSchema,
  type AutomationSettings,
  type AutomationSettingsView,
} from '../../shared/cloud/automation-settings';

export { automationSettingsViewSchema, updateAutomationSettingsSchema };
export type { AutomationSettings, AutomationSettingsView };

/**
 * Premium executions of the account: one per completed premium step (the runner's
 * `premium_execution` metric, once per run+step however often the step ran).
 */
export async function premiumExecutions(db: Queryable, accountId: string): Promise<AutomationSettingsView['premiumExecutions']> {
  const rows = await db.query<{ this_month: number; total: number; month_start: Date | string; since: Date | string | null }>(
    `WITH tz AS (SELECT coalesce((SELECT timezone FROM accounts WHERE id = $1), 'UTC') AS name),
          month AS (SELECT (date_trunc('month', now() AT TIME ZONE tz.name) AT TIME ZONE tz.name) AS start FROM tz)
     SELECT count(*) FILTER (WHERE m.at >= month.start)::int AS this_month, count(m.run_id)::int AS total, month.start AS month_start, min(m.at) AS since
       FROM month LEFT JOIN step_metrics m
         ON m.metric = 'premium_execution' AND m.workflow_id IN (SELECT id FROM workflows WHERE account_id = $1)
      GROUP BY month.start`,
    [accountId],
  );
  const row = rows[0]!;
  const iso = (v: Date | string): string => new Date(v).toISOString();
  return { thisMonth: row.this_month, total: row.total, monthStartsAt: iso(row.month_start), since: row.since === null ? null : iso(row.since) };
}

export async function getAutomationSettings(ctx: CloudContext, principal: Principal): Promise<AutomationSettingsView> {
  const rows = await ctx.db.query<{ company_phone: string | null; premium_actions_enabled: boolean; log_retention_days: number }>(
    `SELECT company_phone, premium_actions_enabled, log_retention_days FROM automation_settings WHERE account_id = $1`,
    [principal.accountId],
  );
  const row = rows[0];
  return {
    companyPhone: row?.company_phone ?? null, premiumActionsEnabled: row?.premium_actions_enabled ?? false, logRetentionDays: row?.log_retention_days ?? 365,
    premiumExecutions: await premiumExecutions(ctx.db, principal.accountId),
  };
}

export async function updateAutomationSettings(ctx: CloudContext, uow: UnitOfWork, principal: Principal, input: Partial<AutomationSettings>): Promise<AutomationSettingsView> {
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
  return {
    companyPhone: rows[0]!.company_phone, premiumActionsEnabled: rows[0]!.premium_actions_enabled, logRetentionDays: rows[0]!.log_retention_days,
    premiumExecutions: await premiumExecutions(uow.q, uow.accountId),
  };
}
