import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { CloudContext } from '../context';
import { write } from '../db/unit-of-work';
import type { Brain } from './brain';
import { runTool } from './actions';
import { finishCall } from './after-call';
import type { AgentCall } from './call-state';
import { readAgent } from './service';
import { toolsFor } from './tools';

/**
 * One ConversationRelay session: Twilio sends `setup`, then a `prompt` per caller line; the agent
 * answers each with `text` (one talk cycle). Lines are handled one at a time, in order. A transfer
 * redirects the caller through the Calls API after the agent's last words are sent. When the
 * socket closes (caller hung up, transfer, or `end`), the after-call work runs once.
 */
const incoming = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setup'), callSid: z.string(), from: z.string().default(''), to: z.string().default(''), customParameters: z.record(z.string(), z.string()).default({}) }),
  z.object({ type: z.literal('prompt'), voicePrompt: z.string(), last: z.boolean().default(true) }),
  z.object({ type: z.literal('dtmf'), digit: z.string() }),
  z.object({ type: z.literal('interrupt'), utteranceUntilInterrupt: z.string().default('') }),
  z.object({ type: z.literal('error'), description: z.string().default('') }),
]);

export function runRelaySession(ctx: CloudContext, brain: Brain, socket: WebSocket): void {
  let call: AgentCall | null = null;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;
  const send = (message: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const say = (text: string) => {
    send({ type: 'text', token: text, last: true });
    call?.conversation.transcript.push({ role: 'agent', text, at: new Date().toISOString() });
  };

  const handle = async (raw: string): Promise<void> => {
    let parsed;
    try {
      parsed = incoming.safeParse(JSON.parse(raw));
    } catch {
      return;
    }
    if (!parsed.success) return; // a message type the agent does not act on
    const message = parsed.data;
    if (message.type === 'setup') {
      call = await startCall(ctx, message.callSid, message.customParameters.callId ?? '');
      if (!call) socket.close(1008, 'unknown call');
      return;
    }
    if (!call) return;
    if (message.type === 'interrupt') {
      // The caller heard only part of the last answer: keep what was heard.
      const last = call.conversation.transcript.at(-1);
      if (last?.role === 'agent' && message.utteranceUntilInterrupt) last.text = message.utteranceUntilInterrupt;
      return;
    }
    if (message.type !== 'prompt' || !message.last || !message.voicePrompt.trim()) return;
    call.conversation.transcript.push({ role: 'caller', text: message.voicePrompt.trim(), at: new Date().toISOString() });
    call.conversation.now = new Date();
    const current = call;
    let reply: string;
    try {
      reply = await brain.respond(current.conversation, (tool, args) => runTool(current, tool, args));
    } catch (error) {
      ctx.log.warn({ err: error instanceof Error ? error.message : String(error), callId: current.callId }, 'AI agent brain failed');
      reply = "I'm sorry, I'm having trouble right now. Let me connect you with our front desk.";
      const transfer = toolsFor(current.agent.actions).find((t) => t.action.config.type === 'call_transfer');
      if (transfer) await runTool(current, transfer, { reason: 'the AI agent could not continue' });
    }
    say(reply);
    if (current.redirect) await redirect(ctx, current);
  };

  socket.on('message', (data: Buffer) => {
    chain = chain.then(() => handle(data.toString('utf8'))).catch((error: unknown) => ctx.log.error({ err: error }, 'AI agent session error'));
  });
  socket.on('close', () => {
    chain = chain.then(async () => {
      if (finished || !call) return;
      finished = true;
      await finishCall(ctx, brain, call);
    }).catch((error: unknown) => ctx.log.error({ err: error }, 'AI agent after-call failed'));
  });
}

async function startCall(ctx: CloudContext, callSid: string, callId: string): Promise<AgentCall | null> {
  const rows = await ctx.db.query<{ id: string; account_id: string; agent_id: string | null; from_number: string; to_number: string; phone_number_id: string | null; contact_id: string | null; contact_name: string | null; account_name: string }>(
    `SELECT c.id, c.account_id, c.agent_id, c.from_number, c.to_number, c.phone_number_id, c.contact_id, ct.name AS contact_name, a.name AS account_name
       FROM calls c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts ct ON ct.id = c.contact_id
      WHERE c.id = $1 AND c.twilio_call_sid = $2`,
    [callId, callSid],
  );
  const row = rows[0];
  if (!row?.agent_id) return null;
  const agent = await readAgent(ctx.db, row.account_id, row.agent_id, ctx.config.ai.brain).catch(() => null);
  if (!agent) return null;
  await ctx.db.query(`UPDATE calls SET answered_at = COALESCE(answered_at, now()) WHERE id = $1`, [row.id]);
  return {
    ctx, agent, accountId: row.account_id, callId: row.id, callSid, from: row.from_number, to: row.to_number, phoneNumberId: row.phone_number_id, contactId: row.contact_id,
    conversation: {
      agent: { name: agent.name, greeting: agent.greeting, goals: agent.goals, timeZone: agent.businessHours.timeZone, practiceName: row.account_name },
      caller: { number: row.from_number, name: row.contact_name },
      transcript: [{ role: 'agent', text: agent.greeting, at: new Date().toISOString() }],
      tools: toolsFor(agent.actions),
      memory: {},
      now: new Date(),
    },
    log: [],
    redirect: null,
  };
}

/** The transfer: the ringing softphones get the screen pop with the agent's summary, then the caller's leg is redirected. */
async function redirect(ctx: CloudContext, call: AgentCall): Promise<void> {
  const target = call.redirect!;
  call.redirect = null;
  if (target.ring.length > 0) {
    await write(ctx.db, call.accountId, async (uow) => {
      await uow.q.query(`UPDATE calls SET rang_user_ids = $2::jsonb, updated_at = now() WHERE id = $1`, [call.callId, JSON.stringify(target.ring)]);
      uow.touch('calls', call.callId);
      const number = await uow.q.query<{ name: string; location_id: string | null }>(`SELECT name, location_id FROM phone_numbers WHERE id = $1`, [call.phoneNumberId]);
      const contact = call.contactId
        ? (await uow.q.query<{ id: string; name: string; tags: string[]; assigned_user_id: string | null }>(`SELECT id, name, tags, assigned_user_id FROM contacts WHERE id = $1`, [call.contactId]))[0]
        : undefined;
      uow.send(target.ring, {
        type: 'incoming-call',
        call: {
          callId: call.callId, twilioCallSid: call.callSid, from: call.from, to: call.to, phoneNumberId: call.phoneNumberId ?? '', phoneNumberName: number[0]?.name ?? '',
          whisperMessage: target.summary, locationId: number[0]?.location_id ?? null,
          contact: contact ? { id: contact.id, name: contact.name, tags: contact.tags, assignedUserId: contact.assigned_user_id } : null,
        },
      });
    });
  }
  await ctx.twilioRest.updateCall(call.callSid, { twiml: target.twiml });
}
