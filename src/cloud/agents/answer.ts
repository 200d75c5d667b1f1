import type { Agent } from '../../shared/cloud/agents';
import type { CloudContext } from '../context';
import type { Queryable } from '../db';
import { escapeAttribute } from '../telephony/twiml';
import { readAgent } from './service';
import { answersOnArrival } from './schedule';

/**
 * Whether an agent takes a call on a line, and the TwiML that hands the call to it:
 * `<Connect action=…><ConversationRelay url="wss://…/twilio/agent/relay" welcomeGreeting=…>`.
 * No brain configured: no agent answers (the line rings as usual; the admin screen says why).
 */
export const agentPaths = {
  relay: '/twilio/agent/relay',
  done: '/twilio/agent/done',
} as const;

export async function agentForLine(ctx: CloudContext, q: Queryable, accountId: string, phoneNumberId: string, moment: 'arrival' | 'no_answer', at = new Date()): Promise<Agent | null> {
  if (ctx.config.ai.brain === 'none') return null;
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM agents WHERE account_id = $1 AND deleted_at IS NULL AND enabled AND line_ids ? $2 ORDER BY created_at LIMIT 1`,
    [accountId, phoneNumberId],
  );
  if (!rows[0]) return null;
  const agent = await readAgent(q, accountId, rows[0].id, ctx.config.ai.brain);
  if (moment === 'no_answer') return agent.answerWhen === 'no_answer' ? agent : null;
  return answersOnArrival(agent.answerWhen, agent.businessHours, at) ? agent : null;
}

export function relayTwiml(ctx: CloudContext, agent: Agent, callId: string): string {
  const base = ctx.publicUrl().replace(/\/$/, '');
  const relayUrl = `${base.replace(/^http/, 'ws')}${agentPaths.relay}`;
  const action = `${base}${agentPaths.done}?callId=${encodeURIComponent(callId)}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Connect action="${escapeAttribute(action)}" method="POST">` +
    `<ConversationRelay url="${escapeAttribute(relayUrl)}" welcomeGreeting="${escapeAttribute(agent.greeting)}" interruptible="any" dtmfDetection="true">` +
    `<Parameter name="callId" value="${escapeAttribute(callId)}"/><Parameter name="agentId" value="${escapeAttribute(agent.id)}"/>` +
    `</ConversationRelay></Connect></Response>`
  );
}
