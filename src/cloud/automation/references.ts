import { triggerLinkProblems } from '../../shared/cloud/trigger-link-fields';
import { walkSteps, type Step, type WorkflowDocument } from '../../shared/cloud/workflows';
import { liveTriggerLinks } from '../trigger-links/service';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import { knownSendingDomains } from '../sending-domains/sender';
import { isEmailReview, savedFromEmail, sendingDomainIssues } from '../../shared/cloud/sending-domains';
import { displayDomain } from '../sending-domains/rows';
import { templateProblem } from './merge-fields';

/**
 * The tables a document's ids live in, what each is called in an error, and which of its rows are
 * live: soft-deleted rows are gone, a Slack workspace is gone once disconnected.
 */
const REF_TABLES = {
  users: { noun: 'user', live: 'deleted_at IS NULL' },
  dispositions: { noun: 'disposition', live: 'deleted_at IS NULL' },
  phone_numbers: { noun: 'phone number', live: 'deleted_at IS NULL' },
  teams: { noun: 'team', live: 'deleted_at IS NULL' },
  message_templates: { noun: 'message template', live: 'deleted_at IS NULL' },
  media_files: { noun: 'media file', live: 'deleted_at IS NULL' },
  slack_connections: { noun: 'Slack workspace', live: 'disconnected_at IS NULL' },
} as const;
type RefTable = keyof typeof REF_TABLES;

type Ref = { table: RefTable; id: string; path: string };

/**
 * Every id a workflow document names (dispositions, numbers, users, teams, message templates,
 * media files, Slack workspaces, and the trigger links a text names by key) must belong to the
 * caller's account and be live; every merge-field template must parse; every saved From Email (Send
 * Email, email Internal Notification) must be on one of the account's verified sending domains, and
 * an email Review Request needs a user whose address is (a document stored before still loads: only
 * saving and publishing ask). Refused with VALIDATION_FAILED naming each field, before
 * anything is saved or published. (The executors read these rows scoped to the run's account
 * too; this keeps another practice's ids out of stored documents altogether.)
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
    const one = (table: RefTable, key: string): void => {
      if (config[key]) refs.push({ table, id: String(config[key]), path: `${at}.config.${key}` });
    };
    one('phone_numbers', 'fromNumberId');
    one('message_templates', 'templateId');
    one('media_files', 'audioMediaId');
    one('slack_connections', 'connectionId');
    visitStrings(config, `${at}.config`, (value, path) => {
      if (!value.includes('{{')) return;
      const problem = templateProblem(value);
      if (problem) errors.push({ path, message: problem });
    });
  });
  // Trigger links are named by key in a text's message (`{{trigger_link.<key>}}`): the practice's live ones only.
  const namesLinks = JSON.stringify(doc.steps).includes('trigger_link');
  const linkProblems = namesLinks ? triggerLinkProblems(doc.steps, new Set((await liveTriggerLinks(q, accountId)).keys())) : [];
  for (const p of linkProblems) errors.push({ path: `draft.steps[${p.stepId}].config.${p.field}`, message: `“${p.stepName}”: ${p.message}` });
  for (const [table, { noun, live }] of Object.entries(REF_TABLES)) {
    const wanted = refs.filter((r) => r.table === table);
    if (wanted.length === 0) continue;
    const found = await q.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND ${live} AND id = ANY($2::text[])`, [
      accountId, [...new Set(wanted.map((r) => r.id))],
    ]);
    const ok = new Set(found.map((r) => r.id));
    for (const ref of wanted) if (!ok.has(ref.id)) errors.push({ path: ref.path, message: `No ${noun} ${ref.id} in this account` });
  }
  // Named by step, in a sentence an admin reads as it is (no document path in front of it).
  const sentences = new Set<string>();
  const mailSteps = stepsWhere(doc, (step) => savedFromEmail(step) !== null || isEmailReview(step));
  if (mailSteps.length > 0) {
    // A Review Request goes From the contact's assigned user: refused when no user's address could send it.
    const users = mailSteps.some(isEmailReview) ? await q.query<{ name: string; email: string }>(`SELECT name, email FROM users WHERE account_id = $1 AND deleted_at IS NULL`, [accountId]) : null;
    for (const issue of sendingDomainIssues(doc.steps, await knownSendingDomains(q, accountId), { users, unicode: displayDomain })) {
      const path = `draft.steps[${issue.stepId}].config.${issue.field}`;
      errors.push({ path, message: `“${issue.stepName}”: ${issue.message}` });
      sentences.add(path);
    }
  }
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new ApiError('VALIDATION_FAILED', sentences.has(first.path) ? `${first.message}.` : `The workflow is not valid: ${first.path}: ${first.message}`, { errors });
  }
}

function stepsWhere(doc: WorkflowDocument, keep: (step: Step) => boolean): Step[] {
  const found: Step[] = [];
  walkSteps(doc.steps, (step) => {
    if (keep(step)) found.push(step);
  });
  return found;
}

function visitStrings(value: unknown, path: string, visit: (value: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => visitStrings(v, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visitStrings(v, `${path}.${k}`, visit);
}
