import { z } from 'zod';
import { createAiClient, type AiClient, type ChatMessage } from '../ai/openai-client';
import type { CloudConfig } from '../config';
import type { Brain, Conversation } from './brain';
import { scriptedBrain } from './scripted-brain';

export function createBrain(config: CloudConfig['ai'], fetchImpl?: typeof fetch): Brain | null {
  if (config.brain === 'scripted') return scriptedBrain;
  if (config.brain === 'openai' && config.baseUrl && config.model) {
    return openAiBrain(createAiClient({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, timeoutMs: config.timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) }));
  }
  return null;
}

function systemPrompt(c: Conversation): string {
  return [
    `You are ${c.agent.name}, answering the phone for ${c.agent.practiceName}, a medical spa. Speak briefly and warmly: your words are read aloud.`,
    c.agent.goals ? `Your goals: ${c.agent.goals}` : '',
    `It is now ${c.now.toISOString()} (practice time zone ${c.agent.timeZone}). The caller's number is ${c.caller.number}${c.caller.name ? `, their name is ${c.caller.name}` : ''}.`,
    'Use the tools when the caller wants what they do; never claim an action happened unless the tool said it did.',
  ]
    .filter(Boolean)
    .join('\n');
}

const MAX_TOOL_ROUNDS = 3;

export function openAiBrain(client: AiClient): Brain {
  return {
    kind: 'openai',
    async respond(c, runTool) {
      const messages: ChatMessage[] = [
        { role: 'system', content: systemPrompt(c) },
        ...c.transcript.map((l): ChatMessage => (l.role === 'caller' ? { role: 'user', content: l.text } : { role: 'assistant', content: l.text })),
      ];
      const tools = c.tools.map((t) => t.definition);
      for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
        const completion = await client.complete({ messages, tools, toolChoice: round === MAX_TOOL_ROUNDS ? 'none' : 'auto', temperature: 0.2 });
        if (completion.toolCalls.length === 0) return completion.content?.trim() || 'Sorry, could you say that again?';
        messages.push(completion.message);
        for (const call of completion.toolCalls) {
          const tool = c.tools.find((t) => t.definition.name === call.name);
          const result = tool ? await runTool(tool, call.arguments) : { ok: false, say: 'That is not something I can do.' };
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
        }
      }
      return 'Sorry, could you say that again?';
    },
    async afterCall({ conversation, actionsLog, fields }) {
      const properties: Record<string, unknown> = { summary: { type: 'string' } };
      for (const f of fields) if (f.config.type === 'update_contact_field') properties[f.config.field] = { type: ['string', 'null'], description: f.config.instruction };
      const schema = { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
      const transcript = conversation.transcript.map((l) => `${l.role === 'agent' ? 'Agent' : 'Caller'}: ${l.text}`).join('\n');
      const result = await client.completeJson(
        {
          messages: [
            { role: 'system', content: 'Summarise the phone call for the front desk in one or two sentences, and extract each requested field from what the CALLER said (null when not said).' },
            { role: 'user', content: `Transcript:\n${transcript}\n\nActions taken:\n${actionsLog.map((a) => `- ${a.name}: ${a.status} (${a.detail})`).join('\n') || '- none'}` },
          ],
          temperature: 0,
        },
        'call_outcome',
        schema,
        z.record(z.string(), z.string().nullable()),
      );
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(result)) if (k !== 'summary' && typeof v === 'string' && v.trim()) values[k] = v.trim();
      return { summary: result.summary ?? '', values };
    },
  };
}
