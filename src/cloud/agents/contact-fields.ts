import type { AgentActionConfig, AgentContactField } from '../../shared/cloud/agents';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import { emailAddressProblem } from '../../shared/cloud/email-address';

/**
 * The contact fields an Update Contact Fields card can set: name, email, and the practice's custom
 * fields. There is no separate field catalogue: a practice's custom fields are the keys its
 * contacts carry (workflows and agents write them) and the keys its cards already set — so a card
 * can only name a field the practice really has, and never another practice's.
 */
const MAX_CUSTOM_FIELDS = 200;

export async function practiceContactFields(q: Queryable, accountId: string): Promise<AgentContactField[]> {
  const rows = await q.query<{ key: string }>(
    `SELECT key FROM (
       SELECT jsonb_object_keys(c.custom_fields) AS key FROM contacts c
        WHERE c.account_id = $1 AND c.deleted_at IS NULL AND jsonb_typeof(c.custom_fields) = 'object'
       UNION
       SELECT substr(x.config->>'field', 15) AS key FROM agent_actions x JOIN agents a ON a.id = x.agent_id
        WHERE a.account_id = $1 AND a.deleted_at IS NULL AND x.type = 'update_contact_field' AND left(x.config->>'field', 14) = 'custom_fields.'
     ) k WHERE key ~ '^[a-z][a-z0-9_]{0,39}$' ORDER BY key LIMIT ${MAX_CUSTOM_FIELDS}`,
    [accountId],
  );
  return [
    { field: 'name', label: 'Name' },
    { field: 'email', label: 'Email' },
    ...rows.map((r) => ({ field: `custom_fields.${r.key}`, label: r.key.replace(/_/g, ' ') })),
  ];
}

/** A card's custom field must be one the practice has (a typo or another practice's key is refused in words). */
export async function checkContactField(q: Queryable, accountId: string, config: AgentActionConfig): Promise<void> {
  if (config.type !== 'update_contact_field' || !config.field.startsWith('custom_fields.')) return;
  const fields = await practiceContactFields(q, accountId);
  if (fields.some((f) => f.field === config.field)) return;
  const key = config.field.slice('custom_fields.'.length);
  const known = fields.filter((f) => f.field.startsWith('custom_fields.')).map((f) => f.field.slice('custom_fields.'.length));
  const message = `Your practice has no custom contact field “${key}”. Pick name, email${known.length ? `, or one of its custom fields (${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ' (it has no custom fields yet: a workflow’s Update Contact Field step creates one)'}.`;
  throw new ApiError('VALIDATION_FAILED', message, { errors: [{ path: 'config.field', message }] });
}

/** The longest name (as the contacts API takes it) and custom field value (as a workflow's Update Contact Field writes one) an agent may write. */
const MAX_NAME = 200;
const MAX_CUSTOM_VALUE = 500;

export interface AfterCallWrites {
  /** Field (`name`, `email`, `custom_fields.<key>`) → the value to write. */
  writes: [field: string, value: string][];
  /** Values not written, with why (never the value itself: it is the caller's data). */
  refused: { field: string; reason: string }[];
}

/**
 * What an agent's after-call extraction may write to the contact. The values come from the AI
 * endpoint: only fields one of the agent's Update Contact Fields cards asked for are taken (a key
 * the model made up never overwrites anything: it once fell through to the contact's name), and
 * each must be what the contact would accept from a person — an email address by the one address
 * rule, a name and a custom value within their lengths.
 */
export function afterCallWrites(requested: readonly string[], values: Readonly<Record<string, string>>): AfterCallWrites {
  const result: AfterCallWrites = { writes: [], refused: [] };
  const asked = new Set(requested);
  for (const [field, raw] of Object.entries(values)) {
    if (!asked.has(field)) {
      result.refused.push({ field, reason: 'no Update Contact Fields card asked for it' });
      continue;
    }
    const value = raw.trim();
    if (!value) continue;
    const problem =
      field === 'email'
        ? emailAddressProblem(value, 'not an email address')
        : field === 'name'
          ? value.length > MAX_NAME ? `longer than ${MAX_NAME} characters` : null
          : value.length > MAX_CUSTOM_VALUE ? `longer than ${MAX_CUSTOM_VALUE} characters` : null;
    if (problem) result.refused.push({ field, reason: problem });
    else result.writes.push([field, value]);
  }
  return result;
}
