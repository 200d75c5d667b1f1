import { describe, expect, it } from 'vitest';
import { triggerLinkKeyFromName, triggerLinkKeysIn, triggerLinkProblems, TRIGGER_LINK_KEY_PATTERN } from './trigger-link-fields';
import type { Step } from './workflow-steps';

const sms = (id: string, message: string, type: 'send_sms' | 'manual_sms' = 'send_sms'): Step =>
  ({ id, name: `Step ${id}`, type, config: { templateId: null, message, attachmentUrls: [], fromNumberId: null } }) as unknown as Step;

describe('trigger link fields', () => {
  it('finds each key a text names once, in order, spaces inside the braces allowed', () => {
    expect(triggerLinkKeysIn('Book: {{trigger_link.book}} or {{ trigger_link.form }} — {{trigger_link.book}}')).toEqual(['book', 'form']);
    expect(triggerLinkKeysIn('Hi {{contact.first_name}}')).toEqual([]);
    // A malformed key is still found, so it can be named as a problem rather than sent blank.
    expect(triggerLinkKeysIn('{{trigger_link.Bad-Key}}')).toEqual(['Bad-Key']);
  });

  it.each([
    ['Book a consultation!', 'book_a_consultation'],
    ['  Intake Form (new patients) ', 'intake_form_new_patients'],
    ['Crème brûlée menu', 'creme_brulee_menu'],
    ['2024 Promo', 'link_2024_promo'],
    ['!!!', 'link'],
    ['x'.repeat(200), 'x'.repeat(36)],
  ])('makes the key of “%s”: %s', (name, key) => {
    expect(triggerLinkKeyFromName(name)).toBe(key);
    expect(key).toMatch(TRIGGER_LINK_KEY_PATTERN);
  });

  it('names a dead link and a link outside a contact’s text message, per step and field, branches included', () => {
    const steps: Step[] = [
      sms('a', 'Book: {{trigger_link.book}}'),
      sms('b', 'Form: {{trigger_link.gone}}', 'manual_sms'),
      {
        id: 'if', name: 'If', type: 'if_else', elseSteps: [],
        branches: [{ id: 'yes', name: 'Yes', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_empty' }] }, steps: [
          { id: 'mail', name: 'Mail', type: 'send_email', config: { subject: 'See {{trigger_link.book}}', body: 'x' } } as unknown as Step,
        ] }],
      },
    ];
    const problems = triggerLinkProblems(steps, new Set(['book']));
    expect(problems.map((p) => [p.stepId, p.field, p.key])).toEqual([['b', 'message', 'gone'], ['mail', 'subject', 'book']]);
    expect(problems[0]!.message).toMatch(/\{\{trigger_link\.gone\}\} was deleted or does not exist/);
    expect(problems[1]!.message).toMatch(/only in the message of a Send SMS or Manual SMS step/);
    expect(triggerLinkProblems([sms('a', 'Book: {{trigger_link.book}}')], new Set(['book']))).toEqual([]);
  });
});
