import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { updateContactBy } from './contact-writes';
import type { ActionDefinition } from './types';

/** Add Tag / Remove Tag: changes the run's contact's tags (Contact Tag Added/Removed events follow). */
export const addTagAction: ActionDefinition<ActionConfig<'add_tag'>> = {
  type: 'add_tag',
  category: 'contact',
  configSchema: actionConfigSchemas.add_tag,
  dbEffectLast: true,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    const missing = config.tags.filter((t) => !contact.tags.some((have) => have.toLowerCase() === t.toLowerCase()));
    if (missing.length === 0) return { status: 'completed', reason: `The contact already has ${list(config.tags)}`, output: { added: [] } };
    const added = await ctx.dbEffect('tags', async (uow) => {
      const updated = await updateContactBy(uow, ctx, contact.id, (c) => ({ tags: [...c.tags, ...config.tags.filter((t) => !c.tags.some((h) => h.toLowerCase() === t.toLowerCase()))] }));
      return updated ? updated.tags.filter((t) => !contact.tags.includes(t)) : null;
    });
    if (added === null) return { status: 'skipped', reason: 'The contact was deleted' };
    return { status: 'completed', output: { added } };
  },
};

export const removeTagAction: ActionDefinition<ActionConfig<'remove_tag'>> = {
  type: 'remove_tag',
  category: 'contact',
  configSchema: actionConfigSchemas.remove_tag,
  dbEffectLast: true,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    const drop = new Set(config.tags.map((t) => t.toLowerCase()));
    if (!contact.tags.some((t) => drop.has(t.toLowerCase()))) return { status: 'completed', reason: `The contact has none of ${list(config.tags)}`, output: { removed: [] } };
    const removed = await ctx.dbEffect('tags', async (uow) => {
      const updated = await updateContactBy(uow, ctx, contact.id, (c) => ({ tags: c.tags.filter((t) => !drop.has(t.toLowerCase())) }));
      return updated ? contact.tags.filter((t) => !updated.tags.includes(t)) : null;
    });
    if (removed === null) return { status: 'skipped', reason: 'The contact was deleted' };
    return { status: 'completed', output: { removed } };
  },
};

const list = (tags: string[]): string => tags.map((t) => `"${t}"`).join(', ');
