import type { ReportOptions } from '../../shared/cloud/reports';
import type { CloudContext, Principal } from '../context';

/**
 * What the filters offer: every disposition and phone number the practice ever had (deleted ones
 * still label history), its users (deleted ones marked), live teams and locations, and the time
 * zone the dates are in. A receptionist, who sees only their own calls, is offered only themself
 * and their own teams as users and teams.
 */
export async function reportOptions(ctx: CloudContext, principal: Principal): Promise<ReportOptions> {
  const { db } = ctx;
  const account = principal.accountId;
  const own = principal.role !== 'admin';
  const [tz, dispositions, users, teams, locations, lines] = await Promise.all([
    db.query<{ timezone: string }>(`SELECT timezone FROM accounts WHERE id = $1`, [account]),
    db.query<{ id: string; label: string; position: number; deleted: boolean }>(
      `SELECT id, label, position, deleted_at IS NOT NULL AS deleted FROM dispositions WHERE account_id = $1 ORDER BY deleted_at IS NOT NULL, position, label`,
      [account]),
    db.query<{ id: string; name: string; deleted: boolean }>(
      `SELECT id, name, deleted_at IS NOT NULL AS deleted FROM users WHERE account_id = $1 AND ($2::text IS NULL OR id = $2) ORDER BY deleted_at IS NOT NULL, lower(name), id`,
      [account, own ? principal.userId : null]),
    db.query<{ id: string; name: string }>(
      `SELECT t.id, t.name FROM teams t WHERE t.account_id = $1 AND t.deleted_at IS NULL
          AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.team_ids @> jsonb_build_array(t.id)))
        ORDER BY lower(t.name), t.id`,
      [account, own ? principal.userId : null]),
    db.query<{ id: string; name: string }>(`SELECT id, name FROM locations WHERE account_id = $1 AND deleted_at IS NULL ORDER BY lower(name), id`, [account]),
    db.query<{ id: string; name: string; number: string; deleted: boolean }>(
      `SELECT id, name, number, deleted_at IS NOT NULL AS deleted FROM phone_numbers WHERE account_id = $1 ORDER BY deleted_at IS NOT NULL, lower(name), id`,
      [account]),
  ]);
  return {
    timezone: tz[0]?.timezone ?? 'America/Los_Angeles',
    scope: own ? 'own' : 'account',
    dispositions: dispositions.map((d) => ({ id: d.id, name: d.label, position: Number(d.position), deleted: d.deleted === true })),
    users: users.map((u) => ({ id: u.id, name: u.name, deleted: u.deleted === true })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, deleted: false })),
    locations: locations.map((l) => ({ id: l.id, name: l.name, deleted: false })),
    lines: lines.map((l) => ({ id: l.id, name: l.name, number: l.number, deleted: l.deleted === true })),
  };
}
