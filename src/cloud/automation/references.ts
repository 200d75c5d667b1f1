import { walkSteps, type WorkflowDocument } from '../../shared/cloud/workflows';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import { templateProblem } from './merge-fields';

type Ref = { table: 'users' | 'dispositions' | 'phone_numbers' | 'teams'; id: string; path: string };

/**
 * Every id a workflow document names (dispositions, numbers, users, teams) must belong to the
 * caller's account and be live; every merge-field template must parse. Refused with
 * VALIDATION_FAILED naming each field, before anything is saved.
 */
export async function checkDocument(q: Queryable, accountId: string, doc: WorkflowDocument): Promise<void> {
  const refs: Ref[] = [];
  const errors: { path: string; message: string }[] = [];
  const trigger = doc.trigger;
  if (trigger?.type === 'call_details') {
    for (const id of trigger.filters.dispositionIds ?? []) refs.push({ table: 'dispositions', id, path: 'draft.trigger.filters.dispositionIds' });
    for (const id of trigger.filters.phoneNumberIds ?? []) refs.push({ table: 'phone_numbers', id, path: 'draft.trigger.filters.phoneNumberIds' });
  }
  if (trigger?.type === 'appointment_booked' || trigger?.type === 'appointment_status_changed') {
    for (const id of trigger.filters.providerIds ?? []) refs.push({ table: 'users', id, path: 'draft.trigger.filters.providerIds' });
  }
  walkSteps(doc.steps, (step) => {
    const at = `draft.steps[${step.id}]`;
    if (step.type === 'if_else') return;
    const config = step.config as Record<string, unknown>;
    const users = (key: string): void => {
      const value = config[key];
      for (const id of Array.isArray(value) ? value : value ? [value] : []) refs.push({ table: 'users', id: String(id), path: `${at}.config.${key}` });
    };
    users('userIds');
    users('assignToUserId');
    users('internalUserId');
    for (const id of (config.teamIds as string[] | undefined) ?? []) refs.push({ table: 'teams', id, path: `${at}.config.teamIds` });
    if (config.fromNumberId) refs.push({ table: 'phone_numbers', id: String(config.fromNumberId), path: `${at}.config.fromNumberId` });
    visitStrings(config, `${at}.config`, (value, path) => {
      if (!value.includes('{{')) return;
      const problem = templateProblem(value);
      if (problem) errors.push({ path, message: problem });
    });
  });
  for (const table of ['users', 'dispositions', 'phone_numbers', 'teams'] as const) {
    const wanted = refs.filter((r) => r.table === table);
    if (wanted.length === 0) continue;
    const found = await q.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY($2::text[])`, [
      accountId, [...new Set(wanted.map((r) => r.id))],
    ]);
    const ok = new Set(found.map((r) => r.id));
    for (const ref of wanted) if (!ok.has(ref.id)) errors.push({ path: ref.path, message: `No ${table.replace('_', ' ').replace(/s$/, '')} ${ref.id} in this account` });
  }
  if (errors.length > 0) throw new ApiError('VALIDATION_FAILED', `The workflow is not valid: ${errors[0]!.path}: ${errors[0]!.message}`, { errors });
}

function visitStrings(value: unknown, path: string, visit: (value: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => visitStrings(v, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visitStrings(v, `${path}.${k}`, visit);
}
