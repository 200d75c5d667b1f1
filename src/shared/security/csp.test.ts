import { describe, expect, it } from 'vitest';
import { buildCsp, originOf } from './csp';

describe('buildCsp', () => {
  it('allows only the given origins (and their socket twins) to be reached', () => {
    const csp = buildCsp({ connect: ['http://127.0.0.1:4100', 'https://127.0.0.1:4200'] });
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'));
    expect(connect).toBe(
      "connect-src 'self' http://127.0.0.1:4100 ws://127.0.0.1:4100 https://127.0.0.1:4200 wss://127.0.0.1:4200",
    );
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('reduces URLs to origins and rejects the rest', () => {
    expect(originOf('https://api.aesthetix.example/v1?x=1')).toBe('https://api.aesthetix.example');
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });
});
