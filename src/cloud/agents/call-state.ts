import type { Agent } from '../../shared/cloud/agents';
import type { CloudContext } from '../context';
import type { Conversation } from './brain';

/** One agent-handled call while it is live: what the actions need and what they did. */
export interface AgentCall {
  ctx: CloudContext;
  agent: Agent;
  accountId: string;
  callId: string;
  callSid: string;
  from: string;
  to: string;
  phoneNumberId: string | null;
  contactId: string | null;
  conversation: Conversation;
  log: ActionLogEntry[];
  /** TwiML to redirect the caller to once the agent's last words are sent (a transfer). */
  redirect: { twiml: string; ring: string[]; summary: string } | null;
}

export interface ActionLogEntry {
  actionId: string;
  type: string;
  name: string;
  status: 'done' | 'failed' | 'refused';
  /** One sentence for the call's details and the summary. */
  detail: string;
  at: string;
}
