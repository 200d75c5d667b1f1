import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud';
import type { Core } from '../../src/main/core';
import { waitForSync } from '../support/desktop-core';
import { useOfflineDesk } from '../support/offline-desk';

/**
 * Issue #13 item 4 against the real cloud (PGlite) behind a proxy the test cuts: starting while the
 * cloud cannot be reached resumes the last session from the cache — signed in, history and the
 * outbox there, "Offline · N waiting" — and recovers by itself when the network returns (the
 * waiting change is delivered once, the phone gets its Twilio token).
 */
const desk = useOfflineDesk('offline-start');
const start = () => desk.start({ AESTHETIX_CLOUD_URL: desk.url });

function nextVoiceToken(core: Core, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no Twilio token')), timeoutMs);
    const off = core.events.addSink((event) => {
      if (event !== 'voice.token') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('a cold start while the cloud cannot be reached', () => {
  it('resumes from the cache, says "Offline · 1 waiting", and recovers by itself', async () => {
    const first = await start();
    await first.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    await waitForSync(first, (s) => s.state === 'online' && s.lastSyncedAt !== null, 'online');
    const call = first.cache.calls.history({ limit: 1 }).items[0]!.call;
    const dispositionId = first.cache.dispositions.active().find((d) => d.label === 'Follow Up')!.id;
    await desk.cut();
    const key = 'offline-start-0001';
    first.cache.calls.setDispositionLocally({ callId: call.id, dispositionId, note: 'offline start', idempotencyKey: key });
    first.sync.kick();
    await waitForSync(first, (s) => s.state === 'offline' && s.pending === 1, 'offline, one waiting');
    await desk.stop(first);

    // The computer restarts; the network is still down.
    const second = await start();
    expect(second.session.state).toMatchObject({ status: 'signed-in', user: { id: DEMO_USERS.receptionist.id } });
    expect(second.notices.list().find((n) => n.id === 'session-restore')?.message).toMatch(/started from this computer’s copy/);
    expect(second.cache.calls.history({ limit: 5 }).items.length).toBeGreaterThan(0);
    expect(second.cache.dispositions.active().length).toBeGreaterThan(0);
    const offline = await waitForSync(second, (s) => s.state === 'offline' && s.pending === 1 && s.failing, 'offline, one waiting after the restart');
    expect(offline.lastError).toMatch(/could not be reached/);

    const token = nextVoiceToken(second);
    await desk.restore();
    await waitForSync(second, (s) => s.state === 'online' && s.pending === 0, 'recovered', 60_000);
    await token;
    expect(second.session.state.status).toBe('signed-in');
    const applied = await desk.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_mutations WHERE idempotency_key = $1`, [key]);
    expect(applied[0]!.n).toBe(1);
  }, 120_000);

  it('a start without any saved session stays signed out', async () => {
    await desk.cut();
    const core = await start();
    expect(core.session.state.status).toBe('signed-out');
  });
});
