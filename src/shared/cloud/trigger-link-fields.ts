import { walkSteps, type Step } from './workflow-steps';

/**
 * Trigger links as merge fields, apart from trigger-links.ts's schemas (the builder's first paint
 * must not bring zod, issue #21). A practice's trigger link (Automation → Trigger links: a name and
 * an https destination) goes in a text message as `{{trigger_link.<key>}}`, the same syntax as the
 * other custom values. When a message is sent to a contact the field becomes a short tracked link
 * of that contact's own (`<public URL>/l/<token>`), so a click is counted for the link, the contact
 * and the workflow step before the browser is sent on.
 *
 * Only the texts a contact receives carry them: Send SMS and Manual SMS messages. The key is made
 * from the link's name when it is created and never changes (renaming a link keeps every message
 * that names it working), and a deleted link's key is never given to another link.
 */

export const TRIGGER_LINK_SCOPE = 'trigger_link';
/** A key as the cloud makes them: a letter, then letters, digits and `_`. */
export const TRIGGER_LINK_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const TRIGGER_LINK_KEY_MAX = 40;

/** `trigger_link.book_consultation` → the field as typed in a message. */
export const triggerLinkField = (key: string): string => `${TRIGGER_LINK_SCOPE}.${key}`;

/** The steps and config fields whose text may carry trigger links: the texts a contact receives. */
export const TRIGGER_LINK_FIELDS: Readonly<Partial<Record<Step['type'], readonly string[]>>> = {
  send_sms: ['message'],
  manual_sms: ['message'],
};

const FIELD = /\{\{\s*trigger_link\.([^\s}]*)\s*\}\}/g;

/** The trigger link keys a text names (as written, valid or not), each once, in order. */
export function triggerLinkKeysIn(text: string): string[] {
  if (!text.includes(TRIGGER_LINK_SCOPE)) return [];
  return [...new Set([...text.matchAll(FIELD)].map((m) => m[1]!))];
}

/**
 * A key made from a link's name: `Book a consultation!` → `book_a_consultation`. The cloud adds
 * `_2`, `_3`… when the practice already has (or had) the key.
 */
export function triggerLinkKeyFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, TRIGGER_LINK_KEY_MAX - 4)
    .replace(/_+$/, '');
  if (!base) return 'link';
  return /^[a-z]/.test(base) ? base : `link_${base}`.slice(0, TRIGGER_LINK_KEY_MAX - 4);
}

export interface TriggerLinkProblem {
  stepId: string;
  stepName: string;
  /** The config field, e.g. `message`. */
  field: string;
  key: string;
  message: string;
}

function visitStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => visitStrings(v, `${path}.${i}`, visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visitStrings(v, path ? `${path}.${k}` : k, visit);
}

/**
 * What is wrong with the trigger links a step tree names, given the practice's live link keys:
 * a link that was deleted or never existed (it would fail the step at every run), or a trigger
 * link in a field other than a contact's text message (nothing there could track it).
 */
export function triggerLinkProblems(steps: readonly Step[], liveKeys: ReadonlySet<string>): TriggerLinkProblem[] {
  const problems: TriggerLinkProblem[] = [];
  walkSteps(steps, (step) => {
    if (step.type === 'if_else') return;
    const allowed = TRIGGER_LINK_FIELDS[step.type] ?? [];
    visitStrings(step.config, '', (text, field) => {
      for (const key of triggerLinkKeysIn(text)) {
        const tag = `{{${triggerLinkField(key)}}}`;
        const message = !allowed.includes(field)
          ? `Trigger links go only in the message of a Send SMS or Manual SMS step: ${tag} cannot be tracked here. Remove it.`
          : !liveKeys.has(key)
            ? `The trigger link ${tag} was deleted or does not exist. Choose a link under the tag icon’s Trigger links, or create it under Automation → Trigger links.`
            : null;
        if (message) problems.push({ stepId: step.id, stepName: step.name, field, key, message });
      }
    });
  });
  return problems;
}
