import { createHash } from 'node:crypto';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { updateContactBy } from './contact-writes';
import type { ActionDefinition } from './types';

/**
 * Assign to User: the contact's owner becomes one of the chosen users — with several, the runs are
 * split evenly between them (by run id). "Only if unassigned" leaves an owned contact alone.
 * Deleted users are never chosen.
 */
export const assignUserAction: ActionDefinition<ActionConfig<'assign_user'>> = {
  type: 'assign_user',
  category: 'contact',
  configSchema: actionConfigSchemas.assign_user,
  dbEffectLast: true,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    if (config.onlyIfUnassigned && contact.assignedUserId) return { status: 'skipped', reason: 'The contact already has an assigned user' };
    const live = await ctx.db.query<{ id: string; name: string }>(
      `SELECT id, name FROM users WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY($2::text[])`,
      [ctx.run.accountId, config.userIds],
    );
    const candidates = config.userIds.map((id) => live.find((u) => u.id === id)).filter((u) => u !== undefined);
    if (candidates.length === 0) return { status: 'error', reason: 'None of the chosen users exists any more' };
    const pick = candidates[createHash('sha256').update(ctx.run.id).digest().readUInt32BE(0) % candidates.length]!;
    if (contact.assignedUserId === pick.id) return { status: 'completed', reason: `Already assigned to ${pick.name}`, output: { userId: pick.id } };
    const updated = await ctx.dbEffect('assign', (uow) => updateContactBy(uow, ctx, contact.id, () => ({ assignedUserId: pick.id })));
    if (!updated) return { status: 'skipped', reason: 'The contact was deleted' };
    return { status: 'completed', reason: `Assigned to ${pick.name}`, output: { userId: pick.id } };
  },
};
