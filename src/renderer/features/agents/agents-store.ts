import { create } from 'zustand';
import type { Agent, AgentOptionsResponse } from '../../../shared/cloud/agents';

/** What the builder's pickers offer (the Automation tab's options and workflow list, and the agents' own options). */
export interface AgentOptions {
  /** Whether the cloud has an AI brain (null: not known yet). */
  brain: AgentOptionsResponse['brain'] | null;
  /** The contact fields an Update Contact Fields card can set: name, email, the practice's custom fields. */
  contactFields: AgentOptionsResponse['contactFields'];
  lines: Array<{ id: string; number: string; name: string }>;
  users: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  workflows: Array<{ id: string; name: string }>;
}

/** The AI agents tab: the list, the agent open in the builder, and which tab of cards it shows. */
interface AgentsState {
  agents: Agent[] | null;
  options: AgentOptions | null;
  /** The open agent's id; 'new' while one is being created; null: the list. */
  open: string | null;
  tab: 'during' | 'after';
  busy: string | null;
  error: string | null;
  /** The last change's outcome, announced politely. */
  message: string | null;
  set(patch: Partial<AgentsState>): void;
}

export const useAgents = create<AgentsState>((set) => ({
  agents: null,
  options: null,
  open: null,
  tab: 'during',
  busy: null,
  error: null,
  message: null,
  set: (patch) => set(patch),
}));
