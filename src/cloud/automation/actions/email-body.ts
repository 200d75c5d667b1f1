/**
 * An email body as the admin wrote it (Send Email, Internal Notification, Send Test Mail). The
 * builder's Message is a plain text box, so most bodies are text with line breaks; a template may
 * be HTML. Text is sent as paragraphs (a blank line between them) and line breaks in HTML, with the
 * same text as a text/plain alternative; HTML is sent as written.
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

/** Fills a body's merge fields: HTML-escaped (`html`) or as plain text. */
export type RenderBody = (source: string, options: { html: boolean }) => string | Promise<string>;

/**
 * What an email built from `source` is sent as: its HTML part, and for a text body the same text
 * as a text/plain alternative. One recipe for every email the builder writes (Send Email, Internal
 * Notification, Send Test Mail), so a test previews exactly what a run sends.
 */
export async function emailBody(source: string, render: RenderBody): Promise<{ html: string; text?: string }> {
  const rendered = await render(source, { html: true });
  if (isHtmlBody(source)) return { html: rendered };
  return { html: textBodyToHtml(rendered), text: (await render(source, { html: false })).trim() };
}
