import type { AfterCallInput, AfterCallResult, Brain, Conversation, RunTool } from './brain';
import { parseSpokenTime } from './spoken-time';
import type { AgentTool } from './tools';

/**
 * The deterministic offline agent: picks a tool by simple rules on the caller's last line (the
 * type's keywords, or a word of the card's condition), books at the day and time the caller said,
 * and extracts fields by patterns ("my email is …", "my <field> is …"). It needs no network, so
 * the embedded default and every test run without one. It is honest about what it did: its
 * answers come from the tools' results.
 */

const TYPE_WORDS: Record<string, RegExp> = {
  book_appointment: /\b(book|booking|appointment|schedule|reserve)\b/i,
  call_transfer: /\b(person|someone|human|receptionist|staff|nurse|doctor|talk to|speak (?:to|with))\b/i,
  send_sms: /\b(text|sms|message)\b/i,
};
const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'they', 'them', 'their', 'caller', 'asks', 'wants', 'about', 'when', 'from', 'have', 'need', 'needs', 'would', 'like']);
const words = (text: string): string[] => text.toLowerCase().match(/[a-z]{4,}/g)?.filter((w) => !STOP.has(w)) ?? [];

function conditionMatches(tool: AgentTool, line: string): boolean {
  const config = tool.action.config;
  if (!('condition' in config) || !config.condition) return false;
  const said = new Set(words(line));
  return words(config.condition).some((w) => said.has(w) || said.has(`${w}s`) || said.has(w.replace(/s$/, '')));
}

/** The tool the line asks for: a card whose condition it matches first, then one whose type's keywords it uses. */
export function pickTool(tools: readonly AgentTool[], line: string): AgentTool | null {
  const byCondition = tools.find((t) => conditionMatches(t, line));
  if (byCondition) return byCondition;
  return tools.find((t) => TYPE_WORDS[t.action.config.type]?.test(line)) ?? null;
}

const lastCallerLine = (c: Conversation): string => [...c.transcript].reverse().find((l) => l.role === 'caller')?.text ?? '';

async function book(c: Conversation, tool: AgentTool, line: string, runTool: RunTool): Promise<string> {
  if (tool.action.config.type !== 'book_appointment') return '';
  const startsAt = parseSpokenTime(line, c.now, c.agent.timeZone);
  if (!startsAt) {
    c.memory.pendingBooking = tool.definition.name;
    return 'I can book that for you. What day and time would suit you?';
  }
  delete c.memory.pendingBooking;
  const service = (c.memory.service as string | undefined) ?? tool.action.name;
  const result = await runTool(tool, { startsAt: startsAt.toISOString(), durationMinutes: tool.action.config.durations[0], service });
  if (!result.ok) c.memory.pendingBooking = tool.definition.name;
  return result.say;
}

export const scriptedBrain: Brain = {
  kind: 'scripted',
  async respond(c, runTool) {
    const line = lastCallerLine(c);
    // A caller who says their name is called by it (texts' {{contact.first_name}}, the transfer's summary).
    c.caller.name ??= extract('name', '', [line]);
    const service = /\b(facial|botox|filler|peel|massage|consultation|laser|microneedling|hydrafacial)\b/i.exec(line)?.[1];
    if (service) c.memory.service = service.toLowerCase();
    const pending = c.tools.find((t) => t.definition.name === c.memory.pendingBooking);
    const tool = pickTool(c.tools, line);
    if (pending && (!tool || tool === pending)) return book(c, pending, line, runTool);
    if (!tool) {
      if (/\b(no|nothing|that'?s all|bye|goodbye|thanks|thank you)\b/i.test(line)) return 'Thank you for calling. Goodbye!';
      return 'I can help with that. Would you like to book an appointment, or talk to someone at the front desk?';
    }
    switch (tool.action.config.type) {
      case 'book_appointment':
        return book(c, tool, line, runTool);
      case 'call_transfer':
        return (await runTool(tool, { reason: line })).say;
      case 'trigger_workflow':
        return (await runTool(tool, { note: line })).say;
      case 'send_sms':
        return (await runTool(tool, {})).say;
      case 'custom_action':
        return (await runTool(tool, { details: line })).say;
      default:
        return 'Sorry, could you say that again?';
    }
  },
  async afterCall({ conversation, actionsLog, fields }: AfterCallInput): Promise<AfterCallResult> {
    const said = conversation.transcript.filter((l) => l.role === 'caller').map((l) => l.text);
    const values: Record<string, string> = {};
    for (const f of fields) {
      if (f.config.type !== 'update_contact_field') continue;
      const value = extract(f.config.field, f.config.instruction, said);
      if (value) values[f.config.field] = value;
    }
    const who = values.name ?? conversation.caller.name ?? conversation.caller.number;
    const asked = said[0] ? `said “${said[0]}”` : 'said nothing';
    const done = actionsLog.filter((a) => a.status === 'done').map((a) => a.detail);
    const summary = `${who} called and ${asked}.${done.length ? ` ${done.join(' ')}` : ' No action was taken.'}`;
    return { summary, values };
  },
};

/** Scripted extraction: built-in patterns for name and email, "my <field words> is <value>" for the rest. */
export function extract(field: string, instruction: string, callerLines: readonly string[]): string | null {
  const text = callerLines.join(' . ');
  if (field === 'email') return /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(text)?.[0]?.toLowerCase() ?? null;
  if (field === 'name') return /\b(?:my name is|this is|i am|i'm)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/.exec(text)?.[1] ?? null;
  const key = field.replace(/^custom_fields\./, '');
  const phrases = [key.replace(/_/g, ' '), ...words(instruction)];
  for (const phrase of phrases) {
    const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`\\b${escaped}\\s+(?:is|are|was|would be)\\s+([^.,!?]+)`, 'i').exec(text);
    if (match?.[1]) return match[1].trim();
  }
  return null;
}
