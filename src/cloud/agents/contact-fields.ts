import type { AgentActionConfig, AgentContactField } from '../../shared/cloud/agents';
import type { Queryable } from '../db';
import { ApiError } from '../errors';

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
