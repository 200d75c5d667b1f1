import type { AgentActionConfig } from '../../../shared/cloud/agents';
import type { AgentOptions } from './agents-store';

const nameOf = (list: Array<{ id: string; name: string }> | undefined, id: string, what: string) => list?.find((x) => x.id === id)?.name ?? `a removed ${what}`;
const when = (condition: string) => (condition ? ` when ${condition}` : '');

/** A card's one-line summary, in the words an admin used to fill it. */
export function describeAction(c: AgentActionConfig, o: AgentOptions | null): string {
  switch (c.type) {
    case 'call_transfer': {
      const to = c.target.kind === 'user' ? nameOf(o?.users, c.target.userId, 'team member') : c.target.kind === 'team' ? `the ${nameOf(o?.teams, c.target.teamId, 'team')} team` : c.target.number;
      return `Transfers the caller to ${to}${when(c.condition)}.`;
    }
    case 'trigger_workflow':
      return `Starts the workflow ${nameOf(o?.workflows, c.workflowId, 'workflow')} with the call's details${when(c.condition)}.`;
    case 'send_sms':
      return `Texts the caller: “${c.message}”${when(c.condition)}.`;
    case 'book_appointment':
      return `Books with ${nameOf(o?.users, c.providerId, 'provider')}${c.calendar ? ` (${c.calendar})` : ''}: ${c.durations.join(' or ')} min, at least ${c.leadTimeMinutes} min ahead${when(c.condition)}.`;
    case 'custom_action':
      return `${c.method} ${c.url}, then says: “${c.responseInstruction}”${when(c.condition)}.`;
    case 'update_contact_field':
      return `Sets ${c.field.replace('custom_fields.', 'custom field ')} from the conversation: ${c.instruction}`;
  }
}
