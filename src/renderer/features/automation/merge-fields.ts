import type { TriggerType } from '../../../shared/cloud/workflows';
import { mergeFieldPaths } from '../../../shared/cloud/merge-field-paths';
import { TRIGGER_LINK_SCOPE } from '../../../shared/cloud/trigger-link-fields';

/**
 * The custom-value picker's knowledge: which merge fields a trigger supplies (so the picker offers
 * only those) and which fields in a text the trigger cannot fill (so the panel warns). Mirrors what
 * the cloud's merge data loads (src/cloud/automation/merge-data.ts): contact, assigned user and
 * account always; the call only for Call Details; the appointment only for appointment triggers;
 * webhook fields only for Inbound Webhook; custom values for manual enrolment and webhooks.
 */

/** A trigger, none chosen yet, or `any`: a saved template may be used by a workflow with any trigger. */
export type MergeScope = TriggerType | null | 'any';

export interface MergeFieldGroup {
  label: string;
  fields: string[];
}

const concrete = mergeFieldPaths.filter((p) => !p.includes('<'));
const group = (prefix: string): string[] => concrete.filter((p) => p.startsWith(`${prefix}.`));

function scopesFor(trigger: MergeScope): Set<string> {
  if (trigger === 'any') return new Set(['contact', 'user', 'account', 'call', 'appointment', 'inbound_webhook', 'custom']);
  const scopes = new Set(['contact', 'user', 'account']);
  if (trigger === 'call_details') scopes.add('call');
  if (trigger === 'appointment_booked' || trigger === 'appointment_status_changed') scopes.add('appointment');
  if (trigger === 'inbound_webhook') scopes.add('inbound_webhook').add('custom');
  if (trigger === 'manual') scopes.add('custom');
  return scopes;
}

const groupLabels: Record<string, string> = {
  contact: 'Contact', user: 'Assigned user', account: 'Practice', call: 'Call', appointment: 'Appointment', inbound_webhook: 'Webhook fields', custom: 'Custom values',
};

/** The picker's groups for a trigger (webhook and custom values are free-form: typed after the prefix). */
export function mergeFieldGroups(trigger: MergeScope): MergeFieldGroup[] {
  const scopes = scopesFor(trigger);
  return ['contact', 'user', 'account', 'call', 'appointment']
    .filter((s) => scopes.has(s))
    .map((s) => ({ label: groupLabels[s]!, fields: group(s) }));
}

/** Free-form prefixes the trigger supplies (`inbound_webhook.`, `custom.`, `contact.custom_fields.`). */
export function freeFormPrefixes(trigger: MergeScope): string[] {
  const scopes = scopesFor(trigger);
  const prefixes = ['contact.custom_fields.'];
  if (scopes.has('inbound_webhook')) prefixes.push('inbound_webhook.');
  if (scopes.has('custom')) prefixes.push('custom.');
  return prefixes;
}

const TAG = /\{\{\s*([^}]+?)\s*\}\}/g;

/** The merge fields a text uses. */
export function fieldsIn(text: string): string[] {
  return [...text.matchAll(TAG)].map((m) => m[1]!);
}

/** A trigger link the picker offers: its key (`{{trigger_link.<key>}}`) and name. */
export interface TriggerLinkChoice {
  key: string;
  name: string;
}

/**
 * Which trigger links a field takes: undefined — none (only the message of a text a contact
 * receives carries them); null — it does, but the practice's links are not loaded (yet); else the
 * practice's live links.
 */
export type FieldTriggerLinks = readonly TriggerLinkChoice[] | null | undefined;

function triggerLinkWarning(field: string, links: FieldTriggerLinks): string | null {
  const key = field.slice(TRIGGER_LINK_SCOPE.length + 1);
  if (links === undefined) return `{{${field}}}: trigger links go only in the message of a Send SMS or Manual SMS step: a step cannot carry it here.`;
  if (links === null || links.some((l) => l.key === key)) return null;
  return `{{${field}}} is not one of the practice’s trigger links (deleted, or never made): a step naming it cannot be saved. Choose one under the tag icon.`;
}

/**
 * Fields in `text` this trigger never fills (or that do not exist at all), each with why — the
 * panel shows them as warnings, not errors: the contact record may still be missing others.
 * Trigger links are checked against `links` (see FieldTriggerLinks).
 */
export function unsuppliedFields(text: string, trigger: MergeScope, links?: FieldTriggerLinks): Array<{ field: string; why: string }> {
  const scopes = scopesFor(trigger);
  const known = new Set(concrete);
  return fieldsIn(text).flatMap((field) => {
    const scope = field.split('.')[0]!;
    if (scope === TRIGGER_LINK_SCOPE) {
      const why = triggerLinkWarning(field, links);
      return why ? [{ field, why }] : [];
    }
    if (field.startsWith('contact.custom_fields.') || (scopes.has(scope) && (scope === 'custom' || scope === 'inbound_webhook'))) return [];
    if (!known.has(field as (typeof concrete)[number]) && !['custom', 'inbound_webhook'].includes(scope)) {
      return [{ field, why: `{{${field}}} is not a field the workflow knows: it will be blank.` }];
    }
    if (!scopes.has(scope)) {
      const needs = scope === 'call' ? 'a Call Details trigger' : scope === 'appointment' ? 'an appointment trigger' : scope === 'inbound_webhook' ? 'an Inbound Webhook trigger' : 'manual enrolment or a webhook';
      return [{ field, why: `{{${field}}} needs ${needs}: with this trigger it will be blank.` }];
    }
    return [];
  });
}
