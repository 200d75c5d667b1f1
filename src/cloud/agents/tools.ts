import type { AgentAction, AgentActionConfig } from '../../shared/cloud/agents';
import type { ToolDefinition } from '../ai/openai-client';

/**
 * Each During-the-Call card becomes one tool the brain may call: a name unique within the agent,
 * a description built from the card (its type, name and the condition in words), and a JSON
 * schema of the arguments the action needs from the conversation.
 */
export interface AgentTool {
  definition: ToolDefinition;
  action: AgentAction;
}

const toolName = (action: AgentAction, index: number): string =>
  `${action.config.type}_${index + 1}_${action.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 30) || 'action'}`;

function describe(action: AgentAction): string {
  const config = action.config;
  const when = 'condition' in config && config.condition ? ` Use when: ${config.condition}.` : '';
  switch (config.type) {
    case 'call_transfer':
      return `Transfer the caller to a person ("${action.name}"). Say you are connecting them first.${when || ' Use when the caller asks for a person.'}`;
    case 'trigger_workflow':
      return `Start the practice's follow-up "${action.name}" for this caller.${when}`;
    case 'send_sms':
      return `Text the caller "${action.name}".${when}`;
    case 'book_appointment':
      return `Book an appointment ("${action.name}") once the caller has chosen a day and time. Durations offered: ${config.durations.join(', ')} minutes.${when}`;
    case 'custom_action':
      return `"${action.name}" (calls the practice's system).${when}`;
    case 'update_contact_field':
      return '';
  }
}

function parameters(config: AgentActionConfig): Record<string, unknown> {
  const object = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: false });
  switch (config.type) {
    case 'call_transfer':
      return object({ reason: { type: 'string', description: 'Why the caller wants a person, in a few words (told to the receptionist)' } }, ['reason']);
    case 'trigger_workflow':
      return object({ note: { type: 'string', description: 'What the caller asked for, in a few words' } }, ['note']);
    case 'send_sms':
      return object({}, []);
    case 'book_appointment':
      return object(
        {
          startsAt: { type: 'string', description: 'Start, ISO 8601 with the time-zone offset, e.g. 2026-12-08T10:00:00-08:00' },
          durationMinutes: { type: 'integer', enum: config.durations },
          service: { type: 'string', description: 'The treatment or reason for the visit' },
        },
        ['startsAt', 'durationMinutes', 'service'],
      );
    case 'custom_action':
      return object({ details: { type: 'string', description: 'What the caller asked, in their words' } }, ['details']);
    case 'update_contact_field':
      return object({}, []);
  }
}

export function toolsFor(actions: readonly AgentAction[]): AgentTool[] {
  return actions
    .filter((a) => a.phase === 'during')
    .map((action, index) => ({ action, definition: { name: toolName(action, index), description: describe(action), parameters: parameters(action.config) } }));
}
