import { describe, expect, it } from 'vitest';
import { emailBody, isHtmlBody, textBodyToHtml } from './email-body';

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

  it('sends text as paragraphs with the same text as its alternative, and HTML as written with none', async () => {
    // A stand-in for the merge-field renderer: escapes in HTML, as the real one does.
    const render = (source: string, { html }: { html: boolean }): string => source.replace('{{name}}', html ? 'Bea &lt;b&gt;' : 'Bea <b>');
    expect(await emailBody('Hi {{name}},\n\nSee you Monday.\nGlow', render)).toEqual({
      html: '<p>Hi Bea &lt;b&gt;,</p>\n<p>See you Monday.<br>\nGlow</p>',
      text: 'Hi Bea <b>,\n\nSee you Monday.\nGlow',
    });
    expect(await emailBody('<p>Hi {{name}}</p>', render)).toEqual({ html: '<p>Hi Bea &lt;b&gt;</p>' });
  });
});
