/**
 * The Send Email body as the admin wrote it. The builder's Message is a plain text box, so most
 * bodies are text with line breaks; a template may be HTML. Text is sent as paragraphs (a blank line
 * between them) and line breaks in HTML, with the same text as a text/plain alternative; HTML is sent
 * as written.
 */
export function isHtmlBody(source: string): boolean {
  return /<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/i.test(source);
}

/** `rendered` is text whose merge values are already HTML-escaped: only the line structure is added. */
export function textBodyToHtml(rendered: string): string {
  return rendered
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n+/)
    .filter((paragraph) => paragraph.trim().length > 0)
    .map((paragraph) => `<p>${paragraph.trim().split('\n').join('<br>\n')}</p>`)
    .join('\n');
}
