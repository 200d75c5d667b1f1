import { describe, expect, it } from 'vitest';
import { resolveCloudTarget } from './cloud-target';

describe('resolveCloudTarget', () => {
  it('is embedded when nothing is configured', () => {
    expect(resolveCloudTarget({})).toEqual({ mode: 'embedded' });
    expect(resolveCloudTarget({ AESTHETIX_CLOUD_URL: '  ' }, '')).toEqual({ mode: 'embedded' });
  });
  it('prefers the environment over settings and keeps only the origin', () => {
    expect(
      resolveCloudTarget({ AESTHETIX_CLOUD_URL: 'https://api.aesthetix.example/v1' }, 'https://other.example'),
    ).toEqual({ mode: 'remote', url: 'https://api.aesthetix.example' });
    expect(resolveCloudTarget({}, 'http://127.0.0.1:4000')).toEqual({ mode: 'remote', url: 'http://127.0.0.1:4000' });
  });
  it('refuses a URL that is not http(s) with a clear message', () => {
    expect(() => resolveCloudTarget({ AESTHETIX_CLOUD_URL: 'ftp://x.example' })).toThrow(/not a valid cloud address: Only https/);
    expect(() => resolveCloudTarget({}, 'nonsense')).toThrow(/not a valid/);
  });
});
