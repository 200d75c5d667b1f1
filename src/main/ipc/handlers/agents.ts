import type { z } from 'zod';
import { agentSchema } from '../../../shared/cloud/agents';
import { agentsChannels } from '../../../shared/ipc/contract-agents';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CloudApi } from '../../cloud-client/cloud-client';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface AgentsHandlerDeps {
  api: CloudApi;
  session: SessionService;
}

/** Settings → AI Agents: admins edit agents and their action cards through the cloud (the limits' 409 is passed on with its message). */
export function agentsHandlers(deps: AgentsHandlerDeps): NamespaceHandlers<'agents'> {
  const cloud = <S extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can manage AI agents.');
    return viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, path, body, schema)), {
      unreachable: 'The cloud cannot be reached: AI agents are managed online. Try again when you are connected.',
    });
  };
  const agent = (agentId: string) => `/v1/agents/${encodeURIComponent(agentId)}`;
  return {
    'agents.list': () => cloud('GET', '/v1/agents', undefined, agentsChannels['agents.list'].output),
    'agents.options': () => cloud('GET', '/v1/agents/options', undefined, agentsChannels['agents.options'].output),
    'agents.create': (input) => cloud('POST', '/v1/agents', input, agentSchema),
    'agents.update': ({ agentId, changes }) => cloud('PATCH', agent(agentId), changes, agentSchema),
    'agents.delete': ({ agentId }) => cloud('DELETE', agent(agentId), undefined, agentsChannels['agents.delete'].output),
    'agents.addAction': ({ agentId, action }) => cloud('POST', `${agent(agentId)}/actions`, action, agentSchema),
    'agents.updateAction': ({ agentId, actionId, changes }) => cloud('PATCH', `${agent(agentId)}/actions/${encodeURIComponent(actionId)}`, changes, agentSchema),
    'agents.deleteAction': ({ agentId, actionId }) => cloud('DELETE', `${agent(agentId)}/actions/${encodeURIComponent(actionId)}`, undefined, agentSchema),
  };
}
