import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Passwords from '../../src/cloud/auth/passwords';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

/** Every argon2 hash the cloud makes (seeding the demo practice makes some too: counted from after the start). */
const hashes = vi.hoisted(() => ({ made: 0 }));
vi.mock('../../src/cloud/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof Passwords>();
  return {
    ...real,
    hashPassword: (...args: Parameters<typeof real.hashPassword>) => {
      hashes.made += 1;
      return real.hashPassword(...args);
    },
  };
});

afterAll(stopTestPostgres);

/**
 * The hash an unknown email's sign-in is checked against (equal timing) is not made while the cloud
 * starts: argon2 at its real cost took ~100 ms of CPU from the way to "Ready for calls" (issue #21).
 * It is made once the cloud is up (the embedded default: once the phone is ready), or by the first
 * sign-in that needs it, and then kept.
 */
describe.each(backends)('the stand-in password hash on %s', (backend) => {
  /** A cloud whose start is over once `phoneReady` settles (the embedded default's gate), its hash count since it started. */
  const withCloud = async (phoneReady: Promise<void>, test: (t: TestCloud, afterStart: number) => Promise<void>) => {
    const t = await startTestCloud(backend, {}, { workersAfterListening: true, workersWhen: phoneReady });
    try {
      await test(t, hashes.made);
    } finally {
      await t.stop();
    }
  };
  /** Two unknown emails' sign-ins are refused, and the hash count is then `made`. */
  const unknownSignInsLeave = async (t: TestCloud, made: number) => {
    for (let i = 0; i < 2; i++) {
      const answer = await t.api(undefined, 'POST', '/v1/auth/login', { email: 'nobody@elsewhere.example', password: 'not-a-password', deviceName: 'test' });
      expect(answer.body.code).toBe('INVALID_CREDENTIALS');
    }
    expect(hashes.made).toBe(made);
  };

  it('is made once the start is over, not during it, and kept', async () => {
    let open: () => void = () => undefined;
    const phoneReady = new Promise<void>((resolve) => (open = resolve));
    await withCloud(phoneReady, async (t, afterStart) => {
      open();
      await vi.waitFor(() => expect(hashes.made).toBe(afterStart + 1));
      await unknownSignInsLeave(t, afterStart + 1);
    });
  }, 120_000);

  it('a sign-in before then makes it, once', async () => {
    await withCloud(new Promise<void>(() => undefined), (t, afterStart) => unknownSignInsLeave(t, afterStart + 1));
  }, 120_000);
});
