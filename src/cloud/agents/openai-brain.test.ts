import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentAction } from '../../shared/cloud/agents';
import { startOpenAiStub, textReply, toolReply, type OpenAiStub } from '../../../test/support/openai-stub';
import { createAiClient } from '../ai/openai-client';
import type { Conversation } from './brain';
import { openAiBrain } from './create-brain';
import { toolsFor } from './tools';

let stub: OpenAiStub;
beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(() => stub.stop());

const actions: AgentAction[] = [
  { id: 'act_b', agentId: 'agt', phase: 'during', name: 'Book a treatment', position: 0, config: { type: 'book_appointment', providerId: 'usr', locationId: null, calendar: '', durations: [30, 60], leadTimeMinutes: 60, condition: '' } },
  { id: 'act_t', agentId: 'agt', phase: 'during', name: 'Front desk', position: 1, config: { type: 'call_transfer', target: { kind: 'team', teamId: 't' }, condition: 'caller asks for a person' } },
  { id: 'act_f', agentId: 'agt', phase: 'after', name: 'Email', position: 0, config: { type: 'update_contact_field', field: 'email', instruction: 'The caller’s email' } },
];
const conversation = (): Conversation => ({
  agent: { name: 'Night desk', greeting: 'Hi', goals: 'Book treatments', timeZone: 'America/Los_Angeles', practiceName: 'Glow Med Spa' },
  caller: { number: '+15125550142', name: null },
  transcript: [{ role: 'agent', text: 'Hi', at: '' }, { role: 'caller', text: 'Book me a facial Tuesday at ten', at: '' }],
  tools: toolsFor(actions),
  memory: {},
  now: new Date('2026-12-01T20:00:00Z'),
});

describe('the OpenAI-compatible brain', () => {
  it('offers each During-the-Call card as a tool, runs the tool the model calls, and answers with the result', async () => {
    const brain = openAiBrain(createAiClient({ baseUrl: stub.baseUrl, model: 'agent-model', apiKey: 'sk-agent' }));
    stub.enqueue(toolReply([{ id: 'call_9', name: 'book_appointment_1_book_a_treatment', arguments: { startsAt: '2026-12-08T10:00:00-08:00', durationMinutes: 60, service: 'facial' } }]), textReply('You are booked for Tuesday at ten.'));
    const ran: unknown[] = [];
    const reply = await brain.respond(conversation(), async (tool, args) => {
      ran.push([tool.action.id, args]);
      return { ok: true, say: 'Booked facial for Tuesday 10:00.' };
    });
    expect(reply).toBe('You are booked for Tuesday at ten.');
    expect(ran).toEqual([['act_b', { startsAt: '2026-12-08T10:00:00-08:00', durationMinutes: 60, service: 'facial' }]]);
    const [first, second] = stub.requests.slice(-2).map((r) => r.body as { model: string; tools: { function: { name: string; parameters: { properties: Record<string, unknown> } } }[]; messages: { role: string; content?: string | null; tool_call_id?: string }[] });
    expect(first!.model).toBe('agent-model');
    expect(first!.tools.map((t) => t.function.name)).toEqual(['book_appointment_1_book_a_treatment', 'call_transfer_2_front_desk']);
    expect(first!.tools[0]!.function.parameters.properties.durationMinutes).toEqual({ type: 'integer', enum: [30, 60] });
    expect(first!.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user']);
    expect(second!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_9', content: JSON.stringify({ ok: true, say: 'Booked facial for Tuesday 10:00.' }) });
  });

  it('asks for the summary and fields as structured output', async () => {
    const brain = openAiBrain(createAiClient({ baseUrl: stub.baseUrl, model: 'agent-model' }));
    stub.enqueue(textReply('{"summary":"Ana booked a facial.","email":"ana@example.com"}'));
    const result = await brain.afterCall({ conversation: conversation(), actionsLog: [], fields: actions.filter((a) => a.phase === 'after') });
    expect(result).toEqual({ summary: 'Ana booked a facial.', values: { email: 'ana@example.com' } });
    const format = (stub.requests.at(-1)!.body as { response_format: { json_schema: { schema: { required: string[] } } } }).response_format;
    expect(format.json_schema.schema.required).toEqual(['summary', 'email']);
  });
});
