import { describe, expect, it } from 'vitest';
import { asciiDomain } from '../../shared/cloud/email-address';
import { MAX_SENDING_DOMAIN_LENGTH, normalizeDomain } from './domain-name';

describe('normalizeDomain', () => {
  it.each([
    ['glowmedspa.com', 'glowmedspa.com'],
    ['  GlowMedSpa.COM. ', 'glowmedspa.com'],
    ['mail.glow-med-spa.co.uk', 'mail.glow-med-spa.co.uk'],
    // International names: stored in their ASCII form (UTS #46, as browsers do).
    ['bücher.de', 'xn--bcher-kva.de'],
    ['BÜCHER.de', 'xn--bcher-kva.de'],
    ['ｇｌｏｗ.com', 'glow.com'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['клиника.рф', 'xn--80apagcdp.xn--p1ai'],
  ])('%s → %s', (input, domain) => {
    expect(normalizeDomain(input)).toEqual({ ok: true, domain });
  });

  it('gives the one canonical form a From Email is compared in (the shared asciiDomain, the desktop’s too)', () => {
    for (const name of ['bücher.de', 'BÜCHER.de', 'клиника.рф', 'faß.de', 'ΣΊΣΥΦΟΣ.gr', 'ｇｌｏｗ.example', 'münchen.xn--p1ai', 'xn--bcher-kva.de', 'Mail.Glow-Med-Spa.co.uk.']) {
      const normal = normalizeDomain(name);
      expect(normal.ok && normal.domain).toBe(asciiDomain(name));
    }
  });

  it.each([
    ['', /Enter the domain you send email from/],
    ['desk@glowmedspa.com', /the domain only \(glowmedspa\.com\), not an email address/],
    ['https://glowmedspa.com', /without http:\/\/ or a path/],
    ['glowmedspa.com/path', /without http:\/\/ or a path/],
    ['glow medspa.com', /no spaces/],
    ['*.glowmedspa.com', /not a wildcard/],
    ['192.168.1.10', /not an IP address/],
    ['0x7f.1', /not an IP address/],
    ['[::1]', /not an IP address/],
    ['localhost', /whole domain with its ending/],
    ['glow_med.com', /is not a domain name/],
    ['-glow.com', /is not a domain name/],
    ['glow..com', /is not a domain name/],
    ['glow.c0m', /top-level domain/],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(40)}.com`, new RegExp(`at most ${MAX_SENDING_DOMAIN_LENGTH} characters`)],
  ])('%s is refused, saying why', (input, why) => {
    const result = normalizeDomain(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(why);
  });
});
