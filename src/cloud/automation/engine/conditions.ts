import type { ConditionGroup, ConditionRule } from '../../../shared/cloud/workflows';
import { lookup, type MergeData } from '../merge-fields';

/**
 * If/Else: does a condition group hold for a run's data? Fields are merge-field paths
 * (`contact.email`, `call.direction`, `inbound_webhook.direction`, `custom.plan`); `has_tag` and
 * `not_has_tag` read the contact's tags. Text comparisons ignore case and surrounding spaces;
 * `greater_than`/`less_than` compare numbers when both sides are numbers, else dates, else text.
 */
export function conditionsHold(group: ConditionGroup, data: MergeData, contactTags: readonly string[]): boolean {
  const results = group.rules.map((rule) => ruleHolds(rule, data, contactTags));
  return group.match === 'any' ? results.some(Boolean) : results.every(Boolean);
}

const norm = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v)).trim().toLowerCase();

function compare(a: string, b: string): number | null {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const da = Date.parse(a);
  const db = Date.parse(b);
  if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  return a === '' || b === '' ? null : a.localeCompare(b);
}

export function ruleHolds(rule: ConditionRule, data: MergeData, contactTags: readonly string[]): boolean {
  const actual = norm(lookup(data, rule.field));
  const expected = norm(rule.value);
  const tags = contactTags.map((t) => t.toLowerCase());
  switch (rule.operator) {
    case 'equals':
      return actual === expected;
    case 'not_equals':
      return actual !== expected;
    case 'contains':
      return actual.includes(expected);
    case 'not_contains':
      return !actual.includes(expected);
    case 'starts_with':
      return actual.startsWith(expected);
    case 'ends_with':
      return actual.endsWith(expected);
    case 'is_empty':
      return actual === '';
    case 'is_not_empty':
      return actual !== '';
    case 'greater_than': {
      const c = compare(actual, expected);
      return c !== null && c > 0;
    }
    case 'less_than': {
      const c = compare(actual, expected);
      return c !== null && c < 0;
    }
    case 'has_tag':
      return tags.includes(expected);
    case 'not_has_tag':
      return !tags.includes(expected);
  }
}
