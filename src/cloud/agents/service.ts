import {
  actionLimitProblem,
  countActions,
  phaseOf,
  type AgentActionConfig,
  type Agent,
  type AgentAction,
  type CreateAgentInput,
  type UpdateAgentInput,
} from '../../shared/cloud/agents';
import { requireAdmin } from '../auth/roles';
import { decideDial } from '../call-policy/policy';
import { loadCallPolicy } from '../call-policy/service';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { checkContactField } from './contact-fields';
import { ACTION_COLUMNS, AGENT_COLUMNS, toAction, toAgent, type ActionRow, type AgentRow } from './rows';

/**
 * AI agents and their action cards (admin). Every id a card names (user, team, workflow, location,
 * line) must be the practice's. The limits (15 during the call, 1 booking, 25 field updates) are
 * checked with the agent's row locked, so two concurrent saves cannot both take the last slot.
 */

type Brain = CloudContext['config']['ai']['brain'];

async function actionsOf(q: Queryable, agentIds: string[]): Promise<Map<string, AgentAction[]>> {
  const byAgent = new Map<string, AgentAction[]>();
  if (agentIds.length === 0) return byAgent;
  const rows = await q.query<ActionRow>(`SELECT ${ACTION_COLUMNS} FROM agent_actions x WHERE x.agent_id = ANY($1::text[]) ORDER BY x.phase DESC, x.position, x.id`, [agentIds]);
  for (const row of rows) {
    const list = byAgent.get(row.agent_id) ?? [];
    list.push(toAction(row));
    byAgent.set(row.agent_id, list);
  }
  return byAgent;
}

export async function listAgents(ctx: CloudContext, principal: Principal): Promise<Agent[]> {
  requireAdmin(principal);
  const rows = await ctx.db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.account_id = $1 AND a.deleted_at IS NULL ORDER BY lower(a.name), a.id`, [principal.accountId]);
  const actions = await actionsOf(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => toAgent(r, actions.get(r.id) ?? [], ctx.config.ai.brain));
}

export async function readAgent(q: Queryable, accountId: string, agentId: string, brain: Brain): Promise<Agent> {
  const rows = await q.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.id = $1 AND a.account_id = $2 AND a.deleted_at IS NULL`, [agentId, accountId]);
  if (!rows[0]) throw notFound('Agent');
  const actions = await actionsOf(q, [agentId]);
  return toAgent(rows[0], actions.get(agentId) ?? [], brain);
}

async function lockAgent(uow: UnitOfWork, agentId: string): Promise<void> {
  const rows = await uow.q.query(`SELECT id FROM agents WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE`, [agentId, uow.accountId]);
  if (rows.length === 0) throw notFound('Agent');
}

async function requireIn(uow: UnitOfWork, table: 'users' | 'teams' | 'workflows' | 'locations' | 'phone_numbers', ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const live = table === 'workflows' ? '' : ' AND deleted_at IS NULL';
  const rows = await uow.q.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND id = ANY($2::text[])${live}`, [uow.accountId, [...ids]]);
  const known = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new ApiError('VALIDATION_FAILED', `${field}: not found in this practice`, { errors: [{ path: field, message: 'Not found in this practice' }] });
}

/** Every id a card names belongs to the practice. */
async function checkConfigIds(uow: UnitOfWork, config: AgentActionConfig): Promise<void> {
  switch (config.type) {
    case 'call_transfer':
      if (config.target.kind === 'user') await requireIn(uow, 'users', [config.target.userId], 'config.target.userId');
      if (config.target.kind === 'team') await requireIn(uow, 'teams', [config.target.teamId], 'config.target.teamId');
      if (config.target.kind === 'number') {
        // A transfer out to the phone network obeys the practice's call policy, as the dialer does (toll fraud).
        const decision = decideDial(await loadCallPolicy(uow.q, uow.accountId), config.target.number, 0);
        if (!decision.ok) throw new ApiError(decision.code, decision.message);
      }
      return;
    case 'trigger_workflow':
      return requireIn(uow, 'workflows', [config.workflowId], 'config.workflowId');
    case 'book_appointment':
      await requireIn(uow, 'users', [config.providerId], 'config.providerId');
      if (config.locationId) await requireIn(uow, 'locations', [config.locationId], 'config.locationId');
      return;
    case 'update_contact_field':
      return checkContactField(uow.q, uow.accountId, config);
    case 'custom_action':
      // Where its URL leads is checked before this transaction (webhook-url.ts, from the routes): DNS is slow.
      return;
    default:
      return;
  }
}

/** A line answers for at most one live agent. */
async function checkLines(uow: UnitOfWork, lineIds: readonly string[], exceptAgentId: string | null): Promise<void> {
  await requireIn(uow, 'phone_numbers', lineIds, 'lineIds');
  if (lineIds.length === 0) return;
  const taken = await uow.q.query<{ name: string }>(
    `SELECT name FROM agents WHERE account_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id <> $2) AND line_ids ?| $3::text[] LIMIT 1`,
    [uow.accountId, exceptAgentId, [...lineIds]],
  );
  if (taken[0]) throw new ApiError('CONFLICT', `That line is already answered by the agent “${taken[0].name}”`);
}

const conflictOnName = (name: string) => (error: unknown) => {
  if (isUniqueViolation(error, 'agents_live_name')) throw new ApiError('CONFLICT', `There is already an agent called “${name}”`);
  throw error;
};

export async function createAgent(uow: UnitOfWork, principal: Principal, brain: Brain, input: Required<Omit<CreateAgentInput, never>>): Promise<Agent> {
  requireAdmin(principal);
  await checkLines(uow, input.lineIds, null);
  const id = newId('agt');
  await uow.q
    .query(
      `INSERT INTO agents (id, account_id, name, line_ids, answer_when, business_hours, greeting, goals, enabled) VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $9)`,
      [id, uow.accountId, input.name, JSON.stringify(input.lineIds), input.answerWhen, JSON.stringify(input.businessHours), input.greeting, input.goals, input.enabled],
    )
    .catch(conflictOnName(input.name));
  await uow.audit(principal.userId, 'agent.create', 'agent', id, { name: input.name, lineIds: input.lineIds, answerWhen: input.answerWhen });
  return readAgent(uow.q, uow.accountId, id, brain);
}

export async function updateAgent(uow: UnitOfWork, principal: Principal, brain: Brain, agentId: string, input: UpdateAgentInput): Promise<Agent> {
  requireAdmin(principal);
  await lockAgent(uow, agentId);
  if (input.lineIds) await checkLines(uow, input.lineIds, agentId);
  const sets: string[] = [];
  const values: unknown[] = [agentId];
  const set = (column: string, value: unknown, cast = '') => {
    values.push(value);
    sets.push(`${column} = $${values.length}${cast}`);
  };
  if (input.name !== undefined) set('name', input.name);
  if (input.lineIds !== undefined) set('line_ids', JSON.stringify(input.lineIds), '::jsonb');
  if (input.answerWhen !== undefined) set('answer_when', input.answerWhen);
  if (input.businessHours !== undefined) set('business_hours', JSON.stringify(input.businessHours), '::jsonb');
  if (input.greeting !== undefined) set('greeting', input.greeting);
  if (input.goals !== undefined) set('goals', input.goals);
  if (input.enabled !== undefined) set('enabled', input.enabled);
  await uow.q.query(`UPDATE agents SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values).catch(conflictOnName(input.name ?? ''));
  await uow.audit(principal.userId, 'agent.update', 'agent', agentId, { changed: Object.keys(input) });
  return readAgent(uow.q, uow.accountId, agentId, brain);
}

export async function deleteAgent(uow: UnitOfWork, principal: Principal, agentId: string): Promise<{ id: string; deleted: true }> {
  requireAdmin(principal);
  await lockAgent(uow, agentId);
  await uow.q.query(`UPDATE agents SET deleted_at = now(), updated_at = now(), line_ids = '[]' WHERE id = $1`, [agentId]);
  await uow.audit(principal.userId, 'agent.delete', 'agent', agentId, {});
  return { id: agentId, deleted: true };
}

async function limitCheck(uow: UnitOfWork, agentId: string, config: AgentActionConfig, replacing: { id: string; type: AgentActionConfig['type'] } | null): Promise<void> {
  const rows = await uow.q.query<{ type: AgentActionConfig['type'] }>(`SELECT type FROM agent_actions WHERE agent_id = $1`, [agentId]);
  const problem = actionLimitProblem(countActions(rows.map((r) => ({ config: { type: r.type } }))), config.type, replacing?.type ?? null);
  if (problem) throw new ApiError('AGENT_ACTION_LIMIT_REACHED', problem);
}

export async function addAction(uow: UnitOfWork, principal: Principal, brain: Brain, agentId: string, input: { name: string; config: AgentActionConfig }): Promise<Agent> {
  requireAdmin(principal);
  await lockAgent(uow, agentId);
  await limitCheck(uow, agentId, input.config, null);
  await checkConfigIds(uow, input.config);
  const phase = phaseOf(input.config.type);
  const [{ next }] = (await uow.q.query<{ next: number }>(`SELECT COALESCE(max(position) + 1, 0)::int AS next FROM agent_actions WHERE agent_id = $1 AND phase = $2`, [agentId, phase])) as [{ next: number }];
  const id = newId('act');
  await uow.q.query(
    `INSERT INTO agent_actions (id, account_id, agent_id, phase, type, name, config, position) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [id, uow.accountId, agentId, phase, input.config.type, input.name, JSON.stringify(input.config), next],
  );
  await uow.audit(principal.userId, 'agent.action_add', 'agent', agentId, { actionId: id, type: input.config.type, name: input.name });
  return readAgent(uow.q, uow.accountId, agentId, brain);
}

async function lockAction(uow: UnitOfWork, agentId: string, actionId: string): Promise<{ type: AgentActionConfig['type']; name: string; config: unknown }> {
  const rows = await uow.q.query<{ type: AgentActionConfig['type']; name: string; config: unknown }>(
    `SELECT type, name, config FROM agent_actions WHERE id = $1 AND agent_id = $2 AND account_id = $3 FOR NO KEY UPDATE`,
    [actionId, agentId, uow.accountId],
  );
  if (!rows[0]) throw notFound('Action');
  return rows[0];
}

export async function updateAction(uow: UnitOfWork, principal: Principal, brain: Brain, agentId: string, actionId: string, input: { name?: string; config?: AgentActionConfig }): Promise<Agent> {
  requireAdmin(principal);
  await lockAgent(uow, agentId);
  const current = await lockAction(uow, agentId, actionId);
  if (input.config) {
    await limitCheck(uow, agentId, input.config, { id: actionId, type: current.type });
    await checkConfigIds(uow, input.config);
  }
  const config = input.config ?? current.config;
  const type = input.config?.type ?? current.type;
  // A card that changes tab (only possible between during types, by the schema) keeps its position.
  await uow.q.query(`UPDATE agent_actions SET name = $2, type = $3, phase = $4, config = $5::jsonb, updated_at = now() WHERE id = $1`, [
    actionId,
    input.name ?? current.name,
    type,
    phaseOf(type),
    JSON.stringify(config),
  ]);
  await uow.audit(principal.userId, 'agent.action_update', 'agent', agentId, { actionId, type });
  return readAgent(uow.q, uow.accountId, agentId, brain);
}

export async function deleteAction(uow: UnitOfWork, principal: Principal, brain: Brain, agentId: string, actionId: string): Promise<Agent> {
  requireAdmin(principal);
  await lockAgent(uow, agentId);
  const current = await lockAction(uow, agentId, actionId);
  await uow.q.query(`DELETE FROM agent_actions WHERE id = $1`, [actionId]);
  await uow.audit(principal.userId, 'agent.action_delete', 'agent', agentId, { actionId, type: current.type, name: current.name });
  return readAgent(uow.q, uow.accountId, agentId, brain);
}
