/**
 * What a trigger link's destination may be (shared by the cloud's schema and the desktop's form,
 * schema-free). Patients are sent there from a text, so: a full https:// address on a named host,
 * nothing else — never javascript:, data:, file: or a plain http page — with no user name or
 * password in it, at most 2,048 characters. The cloud only redirects to it (it never fetches it),
 * so where it points is the practice's business.
 */
export const TRIGGER_LINK_URL_MAX = 2048;

/** Why `value` cannot be a trigger link's destination, in words for the form; null when it can. */
export function triggerLinkUrlProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return 'Enter the link patients should reach, such as https://glowmedspa.example/book.';
  if (text.length > TRIGGER_LINK_URL_MAX) return `A link is at most ${TRIGGER_LINK_URL_MAX.toLocaleString('en-US')} characters.`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return 'A link has no spaces or line breaks.';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http') return 'Use the https:// address: a text should send patients only to secure pages.';
  if (scheme && scheme !== 'https') return `Only https:// links can be trigger links (not ${scheme}:).`;
  if (!scheme || !/^https:\/\//i.test(text)) return 'Enter the full link, starting with https://, such as https://glowmedspa.example/book.';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'This is not a valid link. Check it, or copy it again from the page it leads to.';
  }
  if (url.username || url.password) return 'A link must not carry a user name or password.';
  if (!url.hostname || !url.hostname.includes('.')) return 'The link needs a full site name, such as glowmedspa.example.';
  if (url.href.length > TRIGGER_LINK_URL_MAX) return `A link is at most ${TRIGGER_LINK_URL_MAX.toLocaleString('en-US')} characters.`;
  return null;
}
