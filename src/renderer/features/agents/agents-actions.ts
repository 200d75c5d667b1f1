import type { Agent, CreateActionInput, CreateAgentInput, UpdateAgentInput } from '../../../shared/cloud/agents';
import { getBridge } from '../../bridge';
import { useAgents } from './agents-store';

/** The AI agents tab's only door to main (which asks the cloud; admins only, online only). */

const store = () => useAgents.getState();

async function busy<T>(label: string, work: () => Promise<T>): Promise<T> {
  store().set({ busy: label, error: null });
  try {
    return await work();
  } finally {
    store().set({ busy: null });
  }
}

/** Puts the cloud's answer for one agent in the list (the cloud returns the whole agent after every change). */
function replace(agent: Agent): void {
  const agents = store().agents ?? [];
  store().set({ agents: agents.some((a) => a.id === agent.id) ? agents.map((a) => (a.id === agent.id ? agent : a)) : [...agents, agent] });
}

export async function loadAgents(): Promise<void> {
  const result = await getBridge().agents.list();
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ agents: result.value, error: null });
}

export async function loadAgentOptions(): Promise<void> {
  const [options, workflows, agentOptions] = await Promise.all([getBridge().automation.options(), getBridge().automation.list(), getBridge().agents.options()]);
  if (!options.ok) return store().set({ error: options.error.message });
  if (!agentOptions.ok) store().set({ error: agentOptions.error.message });
  store().set({
    options: {
      lines: options.value.numbers,
      users: options.value.users.map((u) => ({ id: u.id, name: u.name })),
      teams: options.value.teams,
      // Without the workflow list the Trigger Workflow picker is empty and says so.
      workflows: workflows.ok ? workflows.value.workflows.map((w) => ({ id: w.id, name: w.name })) : [],
      brain: agentOptions.ok ? agentOptions.value.brain : null,
      // Without the cloud's list the picker still offers the built-in fields; the cloud checks the rest at save.
      contactFields: agentOptions.ok ? agentOptions.value.contactFields : [{ field: 'name', label: 'Name' }, { field: 'email', label: 'Email' }],
    },
  });
}

export const openAgent = (id: string | null): void => store().set({ open: id, tab: 'during', message: null, error: null });

export async function createAgent(input: CreateAgentInput): Promise<boolean> {
  const result = await busy('Creating…', () => getBridge().agents.create(input));
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  replace(result.value);
  store().set({ open: result.value.id, message: `Created ${result.value.name}. Add its actions under During the Call and After the Call.` });
  return true;
}

export async function saveAgent(agentId: string, changes: UpdateAgentInput): Promise<boolean> {
  const result = await busy('Saving…', () => getBridge().agents.update({ agentId, changes }));
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  replace(result.value);
  store().set({ message: `Saved ${result.value.name}.` });
  return true;
}

export async function deleteAgent(agent: Agent): Promise<void> {
  const result = await busy('Deleting…', () => getBridge().agents.delete({ agentId: agent.id }));
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ agents: (store().agents ?? []).filter((a) => a.id !== agent.id), open: null, message: `Deleted ${agent.name}; its lines ring as usual again.` });
}

/** Adds or edits a card; on failure the cloud's sentence (a 409 at the limit included) is returned for the dialog to show. */
export async function saveAction(agentId: string, actionId: string | null, input: CreateActionInput): Promise<string | null> {
  const bridge = getBridge().agents;
  const result = await busy('Saving the action…', () => (actionId ? bridge.updateAction({ agentId, actionId, changes: input }) : bridge.addAction({ agentId, action: input })));
  if (!result.ok) return result.error.message;
  replace(result.value);
  store().set({ message: `${actionId ? 'Saved' : 'Added'} the card ${input.name}.` });
  return null;
}

export async function deleteAction(agentId: string, actionId: string, name: string): Promise<void> {
  const result = await busy('Deleting the action…', () => getBridge().agents.deleteAction({ agentId, actionId }));
  if (!result.ok) return store().set({ error: result.error.message });
  replace(result.value);
  store().set({ message: `Deleted the card ${name}.` });
}
