import { dndChannels, type Dnd } from '../../../shared/cloud/entities';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { updateContactBy } from './contact-writes';
import type { ActionDefinition } from './types';

/**
 * Enable/Disable DND for the run's contact, per direction and channel (no channels: all). The
 * seed's spam example: Inbound, all channels — the inbound webhook then refuses the number's next
 * call without ringing anyone.
 */
export const dndAction: ActionDefinition<ActionConfig<'dnd'>> = {
  type: 'dnd',
  category: 'contact',
  configSchema: actionConfigSchemas.dnd,
  dbEffectLast: true,
  async execute(ctx, config) {
    const channels = config.channels.length > 0 ? config.channels : [...dndChannels];
    const value = config.action === 'enable';
    const apply = (dnd: Dnd): Dnd => {
      const next = structuredClone(dnd);
      for (const channel of channels) {
        if (config.direction !== 'outbound') next[channel].inbound = value;
        if (config.direction !== 'inbound') next[channel].outbound = value;
      }
      return next;
    };
    const contact = ctx.contact!;
    const wanted = apply(contact.dnd);
    const summary = `${value ? 'Enabled' : 'Disabled'} ${config.direction === 'both' ? 'inbound and outbound' : config.direction} DND for ${channels.length === dndChannels.length ? 'all channels' : channels.join(', ')}`;
    if (JSON.stringify(wanted) === JSON.stringify(contact.dnd)) return { status: 'completed', reason: `Already set: ${summary.toLowerCase()}`, output: { dnd: wanted } };
    const dnd = await ctx.dbEffect('dnd', async (uow) => (await updateContactBy(uow, ctx, contact.id, (c) => ({ dnd: apply(c.dnd) })))?.dnd ?? null);
    if (dnd === null) return { status: 'skipped', reason: 'The contact was deleted' };
    return { status: 'completed', reason: summary, output: { dnd } };
  },
};
