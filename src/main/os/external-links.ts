/**
 * Which links the app hands to the OS browser. `shell.openExternal` gives a URL to whatever the OS
 * associates with it, so a page that could open any URL could launch any handler or phishing page
 * with the app's authority. Only links the app itself produces are opened: pages of the help centre,
 * of the cloud the app is signed in to (an alert's link into the CRM) and, in the embedded default,
 * of its stand-ins on this machine (the Slack stand-in's consent page). Everything else is refused.
 */

/** The help centre's pages: the only help links the app makes. */
export const HELP_CENTER_ORIGIN = 'https://help.aesthetixcrm.com';

export type LinkCheck = { allowed: true; href: string } | { allowed: false; reason: string };

export interface ExternalLinks {
  check(rawUrl: string): LinkCheck;
  /** Opens an allowed link in the OS browser; false (and nothing opened) for any other. */
  open(rawUrl: string): Promise<boolean>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(rawUrl: string): URL | null {
  if (rawUrl.length > 2048) return null;
  try {
    return new URL(rawUrl);
  } catch {
    return null;
  }
}

/**
 * The origins whose pages may open: https, or http only for a cloud on this machine (the embedded
 * default); `localOrigins` (the embedded default's stand-ins) only when they are on loopback.
 */
export function allowedOrigins(cloudUrl: string | null, helpOrigins: readonly string[] = [HELP_CENTER_ORIGIN], localOrigins: readonly string[] = []): Set<string> {
  const origins = new Set(helpOrigins);
  const cloud = cloudUrl ? parse(cloudUrl) : null;
  if (cloud && (cloud.protocol === 'https:' || (cloud.protocol === 'http:' && LOOPBACK_HOSTS.has(cloud.hostname)))) origins.add(cloud.origin);
  for (const raw of localOrigins) {
    const local = parse(raw);
    if (local && (local.protocol === 'http:' || local.protocol === 'https:') && LOOPBACK_HOSTS.has(local.hostname)) origins.add(local.origin);
  }
  return origins;
}

export function checkExternalLink(rawUrl: string, origins: ReadonlySet<string>): LinkCheck {
  const url = parse(rawUrl);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return { allowed: false, reason: 'Only web links can be opened.' };
  // user:password@ can disguise the real host ("https://help.aesthetixcrm.com@evil.example").
  if (url.username || url.password) return { allowed: false, reason: 'Links with a user name or password are not opened.' };
  if (!origins.has(url.origin)) {
    return { allowed: false, reason: `The softphone opens only its help pages and your Aesthetix cloud, not ${url.host}.` };
  }
  return { allowed: true, href: url.href };
}

export function createExternalLinks(options: {
  cloudUrl: string | null;
  helpOrigins?: readonly string[];
  /** The embedded default's stand-ins' pages (loopback only). */
  localOrigins?: readonly string[];
  openExternal(href: string): Promise<boolean>;
  log?: (message: string) => void;
}): ExternalLinks {
  const origins = allowedOrigins(options.cloudUrl, options.helpOrigins, options.localOrigins);
  return {
    check: (rawUrl) => checkExternalLink(rawUrl, origins),
    async open(rawUrl) {
      const link = checkExternalLink(rawUrl, origins);
      if (!link.allowed) {
        options.log?.(`Refused to open a link: ${link.reason}`);
        return false;
      }
      return options.openExternal(link.href);
    },
  };
}

export type AlertClick = { kind: 'open-link'; href: string } | { kind: 'navigate'; redirect: string | null };

/**
 * What a click on an alert does: a link the app may open goes to the browser; an in-app target
 * (`call:<id>`, `contact:<id>`, `alerts`) is shown in the window; any other URL just shows the alerts.
 */
export function alertClickTarget(redirect: string | null, links: Pick<ExternalLinks, 'check'>): AlertClick {
  if (redirect === null || !/^[a-z][a-z0-9+.-]*:\/\//i.test(redirect)) return { kind: 'navigate', redirect };
  const link = links.check(redirect);
  return link.allowed ? { kind: 'open-link', href: link.href } : { kind: 'navigate', redirect: 'alerts' };
}
