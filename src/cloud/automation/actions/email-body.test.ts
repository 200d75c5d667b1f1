import { describe, expect, it } from 'vitest';
import { isHtmlBody, textBodyToHtml } from './email-body';

describe('Send Email body', () => {
  it('tells HTML from text typed in the Message box', () => {
    expect(isHtmlBody('<p>Hi</p>')).toBe(true);
    expect(isHtmlBody('Hi<br>there')).toBe(true);
    expect(isHtmlBody('<a href="https://x.example">x</a>')).toBe(true);
    expect(isHtmlBody('Hi {{contact.first_name}},\nsee you at 3 < 4 pm')).toBe(false);
    expect(isHtmlBody('a <3 b')).toBe(false);
  });

  it('keeps the line structure of text: paragraphs at blank lines, line breaks within them', () => {
    expect(textBodyToHtml('Hi Ana,\r\n\r\nSee you Monday.\nGlow Med Spa\n\n\n')).toBe('<p>Hi Ana,</p>\n<p>See you Monday.<br>\nGlow Med Spa</p>');
    expect(textBodyToHtml('  \n\n  ')).toBe('');
    // Already-escaped merge values pass through untouched.
    expect(textBodyToHtml('Hi Bea &lt;b&gt;')).toBe('<p>Hi Bea &lt;b&gt;</p>');
  });
});
