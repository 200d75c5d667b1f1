import { describe, expect, it } from 'vitest';
import { conditionsHold, ruleHolds } from './conditions';

const data = {
  contact: { email: 'Ana@Example.com', first_name: 'Ana', tags: 'vip, botox' },
  call: { direction: 'inbound', duration: 42 },
  inbound_webhook: { direction: 'outbound', amount: '125.50' },
  custom: { plan: 'Gold' },
};
const tags = ['vip', 'Botox'];

describe('If/Else conditions', () => {
  it.each([
    ['equals ignores case and spaces', { field: 'custom.plan', operator: 'equals', value: ' gold ' }, true],
    ['not_equals', { field: 'call.direction', operator: 'not_equals', value: 'inbound' }, false],
    ['contains', { field: 'contact.email', operator: 'contains', value: '@example' }, true],
    ['not_contains', { field: 'contact.email', operator: 'not_contains', value: 'gmail' }, true],
    ['starts_with', { field: 'contact.first_name', operator: 'starts_with', value: 'an' }, true],
    ['ends_with', { field: 'contact.email', operator: 'ends_with', value: '.org' }, false],
    ['is_empty on a missing field', { field: 'appointment.status', operator: 'is_empty' }, true],
    ['is_not_empty', { field: 'inbound_webhook.direction', operator: 'is_not_empty' }, true],
    ['greater_than compares numbers', { field: 'inbound_webhook.amount', operator: 'greater_than', value: '99' }, true],
    ['less_than compares numbers', { field: 'call.duration', operator: 'less_than', value: '100' }, true],
    ['greater_than with a blank side is false', { field: 'custom.missing', operator: 'greater_than', value: '1' }, false],
    ['has_tag reads the contact tags', { field: 'contact.tags', operator: 'has_tag', value: 'BOTOX' }, true],
    ['not_has_tag', { field: 'contact.tags', operator: 'not_has_tag', value: 'laser' }, true],
  ] as const)('%s', (_name, rule, expected) => {
    expect(ruleHolds(rule as never, data, tags)).toBe(expected);
  });
  it('all / any', () => {
    const rules = [
      { field: 'call.direction', operator: 'equals', value: 'inbound' },
      { field: 'custom.plan', operator: 'equals', value: 'silver' },
    ] as const;
    expect(conditionsHold({ match: 'all', rules: [...rules] }, data, tags)).toBe(false);
    expect(conditionsHold({ match: 'any', rules: [...rules] }, data, tags)).toBe(true);
  });
});
