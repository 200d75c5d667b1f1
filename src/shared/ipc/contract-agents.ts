import { z } from 'zod';
import { agentOptionsSchema, agentSchema, createActionSchema, createAgentSchema, updateActionSchema, updateAgentSchema } from '../cloud/agents';

/**
 * IPC channels of Settings → AI Agents (the card-based builder; admins, online only). Merged into
 * `ipcChannels` by contract.ts; the ai-actions feature owns this file.
 */
const id = z.string().min(1).max(64);

export const agentsChannels = {
  'agents.list': { input: z.undefined(), output: z.array(agentSchema) },
  'agents.options': { input: z.undefined(), output: agentOptionsSchema },
  'agents.create': { input: createAgentSchema, output: agentSchema },
  'agents.update': { input: z.object({ agentId: id, changes: updateAgentSchema }), output: agentSchema },
  'agents.delete': { input: z.object({ agentId: id }), output: z.object({ id, deleted: z.literal(true) }) },
  'agents.addAction': { input: z.object({ agentId: id, action: createActionSchema }), output: agentSchema },
  'agents.updateAction': { input: z.object({ agentId: id, actionId: id, changes: updateActionSchema }), output: agentSchema },
  'agents.deleteAction': { input: z.object({ agentId: id, actionId: id }), output: agentSchema },
} as const;
