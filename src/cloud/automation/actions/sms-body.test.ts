import { describe, expect, it } from 'vitest';
import { smsTooLong, smsWithAttachmentLinks } from './sms-body';

describe('an SMS built in the builder', () => {
  it('carries its attachments as links, one a line after the message', () => {
    expect(smsWithAttachmentLinks('  Your aftercare sheet \n', ['https://glow.example/a.pdf', 'https://glow.example/b.jpg'])).toBe(
      'Your aftercare sheet\nhttps://glow.example/a.pdf\nhttps://glow.example/b.jpg',
    );
    expect(smsWithAttachmentLinks('', ['https://glow.example/a.pdf'])).toBe('https://glow.example/a.pdf');
    expect(smsWithAttachmentLinks('  ', [])).toBe('');
  });

  it('is refused over 1,600 characters, links included', () => {
    expect(smsTooLong('x'.repeat(1600))).toBeNull();
    expect(smsTooLong(smsWithAttachmentLinks('x'.repeat(1590), ['https://glow.example/a.pdf']))).toBe(
      'The message is 1,617 characters once filled; a text can carry at most 1,600',
    );
  });
});
