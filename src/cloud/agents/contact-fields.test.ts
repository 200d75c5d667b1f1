import { describe, expect, it } from 'vitest';
import { afterCallWrites } from './contact-fields';

describe('afterCallWrites: what an agent’s after-call extraction may write to the contact', () => {
  const asked = ['name', 'email', 'custom_fields.preferred_day'];

  it('writes the fields the cards asked for, trimmed; an empty value writes nothing', () => {
    expect(afterCallWrites(asked, { name: ' Ana Ruiz ', email: 'ana@example.com', 'custom_fields.preferred_day': 'Tuesday', summary: '' })).toEqual({
      writes: [['name', 'Ana Ruiz'], ['email', 'ana@example.com'], ['custom_fields.preferred_day', 'Tuesday']],
      refused: [{ field: 'summary', reason: 'no Update Contact Fields card asked for it' }],
    });
    expect(afterCallWrites(asked, { name: '   ' })).toEqual({ writes: [], refused: [] });
  });

  it('never writes a field no card asked for: a made-up key does not reach the contact’s name', () => {
    const result = afterCallWrites(['email'], { phone: '+13105550100', name: 'Ignore me', 'custom_fields.vip': 'yes' });
    expect(result.writes).toEqual([]);
    expect(result.refused.map((r) => r.field)).toEqual(['phone', 'name', 'custom_fields.vip']);
  });

  it('an email must pass the address rule (an international domain does; what was heard as words does not), saying why without the value', () => {
    expect(afterCallWrites(['email'], { email: 'anna@bücher.de' }).writes).toEqual([['email', 'anna@bücher.de']]);
    const heard = afterCallWrites(['email'], { email: 'ana at gmail dot com' });
    expect(heard.writes).toEqual([]);
    expect(heard.refused).toEqual([{ field: 'email', reason: 'not an email address' }]);
    expect(afterCallWrites(['email'], { email: 'jürgen@example.com' }).refused[0]!.reason).toMatch(/SMTPUTF8/);
    expect(JSON.stringify(heard.refused)).not.toContain('gmail');
  });

  it('a name and a custom value within the lengths a person could save', () => {
    expect(afterCallWrites(['name'], { name: 'x'.repeat(200) }).writes).toHaveLength(1);
    expect(afterCallWrites(['name'], { name: 'x'.repeat(201) }).refused).toEqual([{ field: 'name', reason: 'longer than 200 characters' }]);
    expect(afterCallWrites(['custom_fields.notes'], { 'custom_fields.notes': 'y'.repeat(500) }).writes).toHaveLength(1);
    expect(afterCallWrites(['custom_fields.notes'], { 'custom_fields.notes': 'y'.repeat(501) }).refused).toEqual([{ field: 'custom_fields.notes', reason: 'longer than 500 characters' }]);
  });
});
