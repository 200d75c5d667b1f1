import type { Contact } from '../../shared/cloud/entities';
import type { DryRunProblem, DryRunReport } from '../../shared/cloud/workflow-builder';
import { publishProblems, walkSteps, type Step, type WorkflowDocument } from '../../shared/cloud/workflows';
import { CONTACT_COLUMNS, toContact } from '../contacts/rows';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import type { RunContext } from './actions/types';
import { accountInfo } from './engine/account-info';
import { conditionsHold } from './engine/conditions';
import { loadMergeData } from './merge-data';
import { renderTemplate, type MergeData } from './merge-fields';
import { checkDocument } from './references';
import { fromEmailProblem, type KnownSendingDomain } from '../../shared/cloud/sending-domains';
import { displayDomain } from '../sending-domains/rows';
import { knownSendingDomains } from '../sending-domains/sender';
import { liveTriggerLinks } from '../trigger-links/service';
import { callDetailsMatch, callStatusFacts, tagFilterHolds } from './triggers/filters';

/**
 * The dry run (issue [workflow-builder]): replays a workflow document's trigger over the last 30
 * days of the practice's real domain events with the same filter functions the dispatcher uses,
 * then walks each entry through the steps with today's contact records and the engine's merge
 * data and If/Else conditions. Nothing is sent and nothing is written. References that no longer
 * exist are blocking problems; blank merge fields and actions that would fail are reported per step.
 */

const WINDOW_DAYS = 30;
const MAX_EVENTS = 5_000;

interface Entry {
  contactKey: string;
  contact: Contact | null;
  context: RunContext;
}

type EventRow = { id: string; type: string; contact_id: string | null; call_id: string | null; appointment_id: string | null; payload: Record<string, unknown> };

export async function dryRun(q: Queryable, accountId: string, workflowId: string, doc: WorkflowDocument, nowMs: number): Promise<DryRunReport> {
  const from = new Date(nowMs - WINDOW_DAYS * 86_400_000).toISOString();
  const to = new Date(nowMs).toISOString();
  const problems: DryRunProblem[] = [];
  for (const message of publishProblems(doc)) problems.push({ path: 'draft', message, blocking: true });
  try {
    await checkDocument(q, accountId, doc);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    for (const e of error.extra.errors ?? [{ path: 'draft', message: error.message }]) problems.push({ path: e.path, message: referenceWords(e.message), blocking: true });
  }
  const notes = ['Nothing was sent: the replay uses today’s contact records, and Wait steps are passed through at once.'];

  const { events, entries } = await replayTrigger(q, accountId, workflowId, doc, from, notes);
  const kept = doc.settings.allowReentry ? entries : firstPerContact(entries);
  if (!doc.settings.allowReentry && kept.length < entries.length) notes.push(`${entries.length - kept.length} repeat entries were left out: re-entry is off.`);

  const account = await accountInfo(q, accountId);
  const stats = new Map<string, { reached: number; failures: Map<string, number>; blank: Map<string, number> }>();
  walkSteps(doc.steps, (s) => stats.set(s.id, { reached: 0, failures: new Map(), blank: new Map() }));
  const users = await q.query<{ id: string; name: string; email: string; phone: string | null; role: string }>(
    `SELECT id, name, email, phone, role FROM users WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [accountId],
  );
  const userPhone = new Map(users.map((u) => [u.id, u.phone]));
  const domains = await knownSendingDomains(q, accountId);
  // Who a Review Request goes From (the assigned user, else the first admin) and whether that address can send it.
  const senders = { byId: new Map(users.map((u) => [u.id, u])), firstAdmin: users.find((u) => u.role === 'admin') ?? null };
  // A live trigger link is filled for every contact (a short link of their own): never blank. A dead one is a blocking problem above.
  const triggerLinks = Object.fromEntries([...(await liveTriggerLinks(q, accountId)).keys()].map((key) => [key, '(a short link made for the contact)']));
  for (const entry of kept) {
    const data = { ...(await loadMergeData(q, account, entry.contact, entry.context)), trigger_link: triggerLinks };
    walkEntry(doc.steps, data, entry, { stats, userPhone, senders, domains, companyPhone: account.companyPhone ?? null, premium: account.premiumActionsEnabled });
  }
  const steps: DryRunReport['steps'] = [];
  walkSteps(doc.steps, (s) => {
    const st = stats.get(s.id)!;
    steps.push({
      stepId: s.id, name: s.name, type: s.type, reached: st.reached,
      failures: [...st.failures].map(([reason, count]) => ({ reason, count })),
      blankFields: [...st.blank].map(([field, count]) => ({ field, count })),
    });
  });
  return {
    from, to, eventsConsidered: events, entries: kept.length, contacts: new Set(kept.map((e) => e.contactKey)).size,
    steps, problems, canPublish: !problems.some((p) => p.blocking), notes,
  };
}

/** "No disposition d1 in this account" → words an admin acts on. */
function referenceWords(message: string): string {
  const m = /^No (\w[\w ]*?) (\S+) in this account$/.exec(message);
  return m ? `The ${m[1]} this workflow names (${m[2]}) no longer exists: choose another before publishing.` : message;
}

function firstPerContact(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.contactKey) ? false : (seen.add(e.contactKey), true)));
}

async function loadContact(q: Queryable, accountId: string, contactId: string | null): Promise<Contact | null> {
  if (!contactId) return null;
  const rows = await q.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 AND c.account_id = $2 AND c.deleted_at IS NULL`, [contactId, accountId]);
  return rows[0] ? toContact(rows[0]) : null;
}

/** The trigger's events in the window, oldest first, and the entries its filters let through. */
async function replayTrigger(q: Queryable, accountId: string, workflowId: string, doc: WorkflowDocument, from: string, notes: string[]): Promise<{ events: number; entries: Entry[] }> {
  const trigger = doc.trigger;
  if (!trigger) return { events: 0, entries: [] };
  if (trigger.type === 'manual') {
    notes.push('Manual enrolment only: no event starts this workflow, so the replay has nothing to count.');
    return { events: 0, entries: [] };
  }
  const types: Record<string, string[]> = {
    call_details: trigger.type === 'call_details' && trigger.filters.dispositionIds?.length ? ['call.disposition_set'] : ['call.ended'],
    contact_created: ['contact.created'], contact_tag_added: ['contact.tag_added'], contact_tag_removed: ['contact.tag_removed'],
    appointment_booked: ['appointment.booked'], appointment_status_changed: ['appointment.status_changed'], inbound_webhook: ['workflow.inbound_webhook'],
  };
  const rows = await q.query<EventRow>(
    `SELECT id::text AS id, type, contact_id, call_id, appointment_id, payload FROM domain_events
      WHERE account_id = $1 AND type = ANY($2::text[]) AND occurred_at >= $3 ORDER BY id LIMIT ${MAX_EVENTS + 1}`,
    [accountId, types[trigger.type], from],
  );
  if (rows.length > MAX_EVENTS) {
    notes.push(`Only the first ${MAX_EVENTS} events of the window were replayed.`);
    rows.length = MAX_EVENTS;
  }
  const entries: Entry[] = [];
  const seenCalls = new Set<string>();
  for (const e of rows) {
    const entry = await matchEvent(q, accountId, workflowId, doc, e, seenCalls);
    if (entry) entries.push(entry);
  }
  return { events: rows.length, entries };
}

async function matchEvent(q: Queryable, accountId: string, workflowId: string, doc: WorkflowDocument, e: EventRow, seenCalls: Set<string>): Promise<Entry | null> {
  const trigger = doc.trigger!;
  const contactEntry = async (contactId: string | null, context: RunContext): Promise<Entry> => ({
    contactKey: contactId ?? `event:${e.id}`, contact: await loadContact(q, accountId, contactId), context,
  });
  const tagsOf = async (contactId: string | null): Promise<string[]> => (await loadContact(q, accountId, contactId))?.tags ?? [];
  switch (trigger.type) {
    case 'call_details': {
      if (!e.call_id) return null;
      const calls = await q.query<{ id: string; direction: 'inbound' | 'outbound'; status: string; answered_at: string | null; duration_seconds: number | null; phone_number_id: string | null; disposition_id: string | null; contact_id: string | null; recordings: { kind?: string }[]; from_number: string; to_number: string }>(
        `SELECT id, direction, status, answered_at, duration_seconds, phone_number_id, disposition_id, contact_id, recordings, from_number, to_number FROM calls WHERE id = $1 AND account_id = $2`,
        [e.call_id, accountId],
      );
      const call = calls[0];
      if (!call) return null;
      const moment = e.type === 'call.disposition_set' ? 'disposition' : 'ended';
      const dispositionId = moment === 'disposition' ? ((e.payload.dispositionId as string | null) ?? null) : call.disposition_id;
      const facts = {
        dispositionId, direction: call.direction, durationSeconds: call.duration_seconds, contactTags: await tagsOf(call.contact_id),
        statuses: callStatusFacts(call), phoneNumberId: call.phone_number_id,
      };
      if (!callDetailsMatch(trigger.filters, facts, moment)) return null;
      // The engine runs a workflow at most once per call (and disposition).
      const key = `${call.id}:${moment === 'disposition' ? dispositionId : 'ended'}`;
      if (seenCalls.has(key)) return null;
      seenCalls.add(key);
      const caller = call.direction === 'inbound' ? call.from_number : call.to_number;
      const context = { callId: call.id, ...(dispositionId ? { dispositionId } : {}) };
      if (call.contact_id) return contactEntry(call.contact_id, context);
      // A caller who is not a contact yet becomes one when the engine runs (name = number): replayed as that contact.
      const toBe = { id: `new:${caller}`, name: caller, phone: caller, email: null, tags: [], customFields: {}, assignedUserId: null } as unknown as Contact;
      return { contactKey: `phone:${caller}`, contact: toBe, context };
    }
    case 'contact_created':
      if (!tagFilterHolds(trigger.filters.contactTags, await tagsOf(e.contact_id))) return null;
      return contactEntry(e.contact_id, {});
    case 'contact_tag_added':
    case 'contact_tag_removed': {
      const tag = String(e.payload.tag ?? '').toLowerCase();
      if (!trigger.filters.tags.some((t) => t.toLowerCase() === tag)) return null;
      return contactEntry(e.contact_id, { tag });
    }
    case 'appointment_booked':
    case 'appointment_status_changed': {
      if (!e.appointment_id || !e.contact_id) return null;
      const rows = await q.query<{ provider_id: string | null; calendar: string | null; status: string }>(
        `SELECT provider_id, calendar, status FROM appointments WHERE id = $1 AND account_id = $2`, [e.appointment_id, accountId],
      );
      const a = rows[0];
      if (!a) return null;
      const f = trigger.filters;
      if (f.providerIds?.length && (!a.provider_id || !f.providerIds.includes(a.provider_id))) return null;
      if (f.calendars?.length && (!a.calendar || !f.calendars.some((c) => c.toLowerCase() === a.calendar!.toLowerCase()))) return null;
      const status = String(e.payload.status ?? a.status);
      if (trigger.type === 'appointment_status_changed' && trigger.filters.statuses?.length && !trigger.filters.statuses.includes(status as never)) return null;
      return contactEntry(e.contact_id, { appointmentId: e.appointment_id });
    }
    case 'inbound_webhook':
      if (e.payload.workflowId !== workflowId) return null;
      return contactEntry(e.contact_id, { webhook: (e.payload.fields as Record<string, unknown>) ?? {} });
    default:
      return null;
  }
}

interface WalkEnv {
  stats: Map<string, { reached: number; failures: Map<string, number>; blank: Map<string, number> }>;
  userPhone: Map<string, string | null>;
  senders: { byId: Map<string, { name: string; email: string }>; firstAdmin: { name: string; email: string } | null };
  domains: KnownSendingDomain[];
  companyPhone: string | null;
  premium: boolean;
}

const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

function walkEntry(steps: readonly Step[], data: MergeData, entry: Entry, env: WalkEnv): void {
  for (const step of steps) {
    const st = env.stats.get(step.id)!;
    st.reached += 1;
    if (step.type === 'if_else') {
      const branch = step.branches.find((b) => conditionsHold(b.conditions, data, entry.contact?.tags ?? []));
      walkEntry(branch ? branch.steps : step.elseSteps, data, entry, env);
      continue;
    }
    const blank = new Set<string>();
    visitStrings(step.config, (text) => {
      try {
        renderTemplate(text, data, { blank });
      } catch {
        // A template that does not parse is refused when the document is saved.
      }
    });
    for (const field of blank) bump(st.blank, field);
    const failure = wouldFail(step, entry.contact, env) ?? senderFailure(step, data, entry.contact, env);
    if (failure) bump(st.failures, failure);
  }
}

/** Why this action would fail for this contact (the causes the seed names), or null. */
function wouldFail(step: Exclude<Step, { type: 'if_else' }>, contact: Contact | null, env: WalkEnv): string | null {
  const needsContact = !['internal_notification', 'wait', 'create_update_contact', 'log_external_call', 'slack'].includes(step.type);
  if (needsContact && !contact) return 'No contact: the trigger supplies none (or it was deleted)';
  switch (step.type) {
    case 'send_email':
      return contact?.email ? null : 'The contact has no email address';
    case 'review_request':
      return step.config.reviewType === 'email' ? (contact?.email ? null : 'The contact has no email address') : contact?.phone ? null : 'The contact has no phone number';
    case 'send_sms':
    case 'manual_sms':
    case 'manual_call':
    case 'voicemail_drop':
      return contact?.phone ? null : 'The contact has no phone number';
    case 'call': {
      if (!contact?.phone) return 'The contact has no phone number';
      if (contact.assignedUserId) return env.userPhone.get(contact.assignedUserId) ? null : 'The assigned user has no phone';
      return env.companyPhone ? null : 'The contact is unassigned and no Company Phone is set';
    }
    case 'slack':
      return env.premium ? null : 'Premium actions are off (Settings → Premium actions)';
    case 'internal_notification':
      if (step.config.toUserType === 'assigned_user' && step.config.channel === 'sms' && contact?.assignedUserId && !env.userPhone.get(contact.assignedUserId)) {
        return 'The assigned user has no phone';
      }
      return null;
    default:
      return null;
  }
}

/**
 * The From address a run would send this step's email From, when the saved step does not say it
 * (a custom value; a Review Request's assigned user) and it is off the verified sending domains.
 */
function senderFailure(step: Exclude<Step, { type: 'if_else' }>, data: MergeData, contact: Contact | null, env: WalkEnv): string | null {
  if (step.type === 'internal_notification' && step.config.channel === 'email' && step.config.fromEmail.includes('{{')) {
    let filled: string;
    try {
      filled = renderTemplate(step.config.fromEmail, data).trim();
    } catch {
      return null; // refused when the document is saved
    }
    if (!filled) return `The From Email (${step.config.fromEmail}) is empty once its merge fields are filled`;
    return fromEmailProblem(filled, env.domains, displayDomain);
  }
  if (step.type === 'review_request' && step.config.reviewType === 'email' && contact?.email) {
    const assigned = contact.assignedUserId ? env.senders.byId.get(contact.assignedUserId) : undefined;
    const sender = assigned ?? env.senders.firstAdmin;
    const problem = sender ? fromEmailProblem(sender.email, env.domains, displayDomain) : null;
    return problem ? `From ${assigned ? 'the assigned user' : 'the first admin (no assigned user)'}, ${sender!.name}: ${problem}` : null;
  }
  return null;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => visitStrings(v, visit));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) visitStrings(v, visit);
}
