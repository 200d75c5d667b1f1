import { describe, expect, it } from 'vitest';
import { clientKey, retryAfterSeconds } from './throttle';

describe('rate-limit counters', () => {
  it('counts an IPv4 address as it is (also IPv4-mapped) and an IPv6 address by its /64', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0DB8:0001:0002:ffff:0:0:b')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('says when the window ends, at least a second away', () => {
    const start = '2024-06-11T10:00:00.000Z';
    expect(retryAfterSeconds({ attempts: 9, windowStart: start }, 60, Date.parse('2024-06-11T10:00:15.200Z'))).toBe(45);
    expect(retryAfterSeconds({ attempts: 9, windowStart: start }, 60, Date.parse('2024-06-11T10:01:30.000Z'))).toBe(1);
  });
});
