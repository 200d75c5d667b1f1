import { describe, expect, it } from 'vitest';
import { withBlanks } from './step-reason';

describe('a step reason with its blank merge fields', () => {
  it('adds one sentence, with one full stop between', () => {
    expect(withBlanks('Sent to Ava', ['contact.first_name'])).toBe('Sent to Ava. Blank merge fields: contact.first_name');
    expect(withBlanks('The text to +13105550142 was not sent.', ['contact.first_name', 'custom.plan'])).toBe(
      'The text to +13105550142 was not sent. Blank merge fields: contact.first_name, custom.plan',
    );
  });

  it('is the note alone without a reason, and the reason alone without blanks', () => {
    expect(withBlanks(null, ['contact.email'])).toBe('Blank merge fields: contact.email');
    expect(withBlanks('Sent.', [])).toBe('Sent.');
    expect(withBlanks(null, [])).toBeNull();
  });
});
