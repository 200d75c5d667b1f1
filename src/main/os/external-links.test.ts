import { describe, expect, it, vi } from 'vitest';
import { alertClickTarget, allowedOrigins, checkExternalLink, createExternalLinks, HELP_CENTER_ORIGIN } from './external-links';

const CLOUD = 'https://api.glowmedspa.example';

describe('external links the app opens', () => {
  const origins = allowedOrigins(CLOUD);
  const allowed = (url: string) => checkExternalLink(url, origins).allowed;

  it('opens the help centre and pages of the cloud the app is signed in to', () => {
    expect(checkExternalLink(`${HELP_CENTER_ORIGIN}/articles/dispositions#wrap-up`, origins)).toEqual({
      allowed: true,
      href: `${HELP_CENTER_ORIGIN}/articles/dispositions#wrap-up`,
    });
    expect(allowed(`${CLOUD}/calls/call_123`)).toBe(true);
    expect(allowed('HTTPS://API.GLOWMEDSPA.EXAMPLE/x')).toBe(true);
  });

  it.each([
    ['another site', 'https://evil.example/login'],
    ['a look-alike host', 'https://help.aesthetixcrm.com.evil.example/'],
    ['a user name hiding the real host', `https://help.aesthetixcrm.com@evil.example/`],
    ['credentials on an allowed host', `https://user:pass@${new URL(CLOUD).host}/`],
    ['plain http to the help centre', 'http://help.aesthetixcrm.com/'],
    ['plain http to the cloud', CLOUD.replace('https', 'http')],
    ['another port of the cloud host', `${CLOUD}:8443/`],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['an SMB share', 'smb://evil.example/share'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['not a URL', 'help center'],
    ['an over-long URL', `${HELP_CENTER_ORIGIN}/${'a'.repeat(3000)}`],
  ])('refuses %s', (_label, url) => {
    const check = checkExternalLink(url, origins);
    expect(check.allowed).toBe(false);
    if (!check.allowed) expect(check.reason).toMatch(/\./);
  });

  it('allows plain http only to a cloud on this machine (the embedded default)', () => {
    expect(checkExternalLink('http://127.0.0.1:4100/calls', allowedOrigins('http://127.0.0.1:4100')).allowed).toBe(true);
    expect(checkExternalLink('http://127.0.0.1:4101/calls', allowedOrigins('http://127.0.0.1:4100')).allowed).toBe(false);
    expect(checkExternalLink('http://cloud.example/calls', allowedOrigins('http://cloud.example')).allowed).toBe(false);
    expect([...allowedOrigins(null)]).toEqual([HELP_CENTER_ORIGIN]);
  });

  it('opens the embedded default’s stand-in pages only on loopback, and only their own origin', () => {
    const origins = allowedOrigins('http://127.0.0.1:4100', [HELP_CENTER_ORIGIN], ['http://127.0.0.1:4200', 'http://slack.example:4300', 'file:///tmp']);
    expect(checkExternalLink('http://127.0.0.1:4200/oauth/v2/authorize?client_id=1', origins).allowed).toBe(true);
    expect(checkExternalLink('http://127.0.0.1:4201/oauth/v2/authorize', origins).allowed).toBe(false);
    expect(checkExternalLink('http://slack.example:4300/', origins).allowed).toBe(false);
    expect([...origins]).toEqual([HELP_CENTER_ORIGIN, 'http://127.0.0.1:4100', 'http://127.0.0.1:4200']);
  });

  it('hands only allowed links to the OS, normalised', async () => {
    const openExternal = vi.fn(async () => true);
    const log = vi.fn();
    const links = createExternalLinks({ cloudUrl: CLOUD, openExternal, log });
    expect(await links.open('https://evil.example/')).toBe(false);
    expect(log).toHaveBeenCalledOnce();
    expect(await links.open(`${HELP_CENTER_ORIGIN}/a b`)).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith(`${HELP_CENTER_ORIGIN}/a%20b`);
  });

  it('routes an alert click: in-app targets to the window, the cloud’s links to the browser, other URLs nowhere', () => {
    const links = createExternalLinks({ cloudUrl: CLOUD, openExternal: async () => true });
    expect(alertClickTarget('call:call_1', links)).toEqual({ kind: 'navigate', redirect: 'call:call_1' });
    expect(alertClickTarget(null, links)).toEqual({ kind: 'navigate', redirect: null });
    expect(alertClickTarget(`${CLOUD}/contacts/ct_1`, links)).toEqual({ kind: 'open-link', href: `${CLOUD}/contacts/ct_1` });
    expect(alertClickTarget('https://evil.example/', links)).toEqual({ kind: 'navigate', redirect: 'alerts' });
    expect(alertClickTarget('file:///etc/passwd', links)).toEqual({ kind: 'navigate', redirect: 'alerts' });
  });
});
