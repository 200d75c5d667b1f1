import { ACTION_TYPE_LABELS, createActionSchema, type AgentAction, type AgentActionType, type CreateActionInput } from '../../../shared/cloud/agents';

/**
 * The action dialog's form: every type's fields as strings (what inputs hold), turned into the
 * card the cloud takes, validated by the shared schema so the dialog says what the cloud would.
 */
export interface ActionDraft {
  type: AgentActionType;
  name: string;
  condition: string;
  targetKind: 'user' | 'team' | 'number';
  userId: string;
  teamId: string;
  number: string;
  workflowId: string;
  message: string;
  providerId: string;
  /** '' : any location. */
  locationId: string;
  calendar: string;
  /** Minutes, comma separated ("30, 60"). */
  durations: string;
  leadTimeMinutes: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** One header a line: "Name: value". */
  headers: string;
  body: string;
  responseInstruction: string;
  field: string;
  instruction: string;
}

export function newDraft(type: AgentActionType): ActionDraft {
  return {
    type, name: ACTION_TYPE_LABELS[type].replace(' (Beta)', ''), condition: '', targetKind: 'user', userId: '', teamId: '', number: '', workflowId: '', message: '',
    providerId: '', locationId: '', calendar: '', durations: '30, 60', leadTimeMinutes: '60', url: '', method: 'POST', headers: '', body: '', responseInstruction: '', field: 'email', instruction: '',
  };
}

export function draftFrom(action: AgentAction): ActionDraft {
  const d = { ...newDraft(action.config.type), name: action.name };
  const c = action.config;
  switch (c.type) {
    case 'call_transfer':
      d.targetKind = c.target.kind;
      if (c.target.kind === 'user') d.userId = c.target.userId;
      if (c.target.kind === 'team') d.teamId = c.target.teamId;
      if (c.target.kind === 'number') d.number = c.target.number;
      return { ...d, condition: c.condition };
    case 'trigger_workflow':
      return { ...d, workflowId: c.workflowId, condition: c.condition };
    case 'send_sms':
      return { ...d, message: c.message, condition: c.condition };
    case 'book_appointment':
      return { ...d, providerId: c.providerId, locationId: c.locationId ?? '', calendar: c.calendar, durations: c.durations.join(', '), leadTimeMinutes: String(c.leadTimeMinutes), condition: c.condition };
    case 'custom_action':
      return { ...d, url: c.url, method: c.method, headers: c.headers.map((h) => `${h.name}: ${h.value}`).join('\n'), body: c.body, responseInstruction: c.responseInstruction, condition: c.condition };
    case 'update_contact_field':
      return { ...d, field: c.field, instruction: c.instruction };
  }
}

function config(d: ActionDraft): unknown {
  const condition = d.condition;
  switch (d.type) {
    case 'call_transfer': {
      const target = d.targetKind === 'user' ? { kind: 'user', userId: d.userId } : d.targetKind === 'team' ? { kind: 'team', teamId: d.teamId } : { kind: 'number', number: d.number.replace(/[\s().-]/g, '') };
      return { type: d.type, target, condition };
    }
    case 'trigger_workflow':
      return { type: d.type, workflowId: d.workflowId, condition };
    case 'send_sms':
      return { type: d.type, message: d.message, condition };
    case 'book_appointment':
      return {
        type: d.type, providerId: d.providerId, locationId: d.locationId || null, calendar: d.calendar, condition,
        durations: d.durations.split(/[,\s]+/).filter(Boolean).map(Number),
        leadTimeMinutes: d.leadTimeMinutes.trim() === '' ? 0 : Number(d.leadTimeMinutes),
      };
    case 'custom_action': {
      const headers = d.headers.split('\n').filter((l) => l.trim()).map((line) => {
        const at = line.indexOf(':');
        return at < 0 ? { name: line.trim(), value: '' } : { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
      });
      return { type: d.type, url: d.url.trim(), method: d.method, headers, body: d.body, responseInstruction: d.responseInstruction, condition };
    }
    case 'update_contact_field':
      return { type: d.type, field: d.field.trim(), instruction: d.instruction };
  }
}

/** Plain names for the fields a problem can point at. */
const FIELD_NAMES: Record<string, string> = {
  name: 'Card name', 'config.target.userId': 'Team member', 'config.target.teamId': 'Team', 'config.target.number': 'Number', 'config.workflowId': 'Workflow',
  'config.message': 'Message', 'config.providerId': 'Provider', 'config.durations': 'Durations', 'config.leadTimeMinutes': 'Lead time',
  'config.url': 'Webhook URL', 'config.headers': 'Headers', 'config.body': 'JSON body', 'config.responseInstruction': 'What to say with the response',
  'config.field': 'Contact field', 'config.instruction': 'What to extract', 'config.condition': 'When (in words)',
};

export type DraftResult = { ok: true; input: CreateActionInput } | { ok: false; problems: string[] };

/** The card to send, or every problem in plain words (nothing is sent while there is one). */
export function draftToInput(d: ActionDraft): DraftResult {
  const candidate = { name: d.name, config: config(d) };
  const problems: string[] = [];
  if (d.type === 'custom_action' && d.body.trim()) {
    // Variables are strings inside the JSON, so a body with {{…}} still parses when it is well formed.
    try {
      JSON.parse(d.body);
    } catch {
      problems.push('JSON body: not valid JSON (put {{variables}} inside quotes).');
    }
  }
  const parsed = createActionSchema.safeParse(candidate);
  if (parsed.success && problems.length === 0) return { ok: true, input: candidate as CreateActionInput };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p) => typeof p === 'string').join('.');
      const label = FIELD_NAMES[path] ?? FIELD_NAMES[path.split('.').slice(0, 2).join('.')] ?? 'This card';
      const message = issue.code === 'too_small' && issue.minimum === 1 ? 'required' : issue.message;
      problems.push(`${label}: ${message}`);
    }
  }
  return { ok: false, problems: [...new Set(problems)] };
}
