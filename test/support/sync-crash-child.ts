/**
 * The child process of test/fault/sync-crash.test.ts: the real desktop sync loop (SQLite cache,
 * session, sync engine) that the parent kills with SIGKILL at random points. Each run signs in,
 * enqueues the next `contact.create` mutations durably, and syncs, until every one is acknowledged.
 * argv: <cloudUrl> <cacheFile> <total> <email> <password>
 */
import { openCache } from '../../src/main/cache/cache';
import { systemClock } from '../../src/main/os/system-clock';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { cacheSyncStore } from '../../src/main/sync/cache-sync-store';
import { createMemoryVault } from '../../src/main/session/credential-vault';
import { SessionService } from '../../src/main/session/session-service';
import { SyncEngine } from '../../src/main/sync/sync-engine';

const [cloudUrl, cacheFile, totalArg, email, password] = process.argv.slice(2);
const total = Number(totalArg);
const CHUNK = 3;

async function main(): Promise<void> {
  const cache = openCache({ file: cacheFile! });
  const cloud = createCloudClient({ baseUrl: cloudUrl! });
  const session = new SessionService({ cloud, vault: createMemoryVault(), clock: systemClock, deviceName: 'crash test' });
  await session.signIn(email!, password!);
  const sync = new SyncEngine({ store: cacheSyncStore(cache), cloud, session, clock: systemClock, random: Math.random });
  process.stdout.write('ready\n');
  for (;;) {
    const next = Number(cache.syncMeta.get('crashNext') ?? 0);
    for (let i = next; i < Math.min(total, next + CHUNK); i++) {
      // Durable before it returns; a kill right after this line must not lose it.
      cache.outbox.enqueue({ type: 'contact.create', idempotencyKey: `crash-contact-${i}`, payload: { name: `Crash ${i}`, tags: ['crash-test'] } });
      cache.syncMeta.set('crashNext', i + 1);
    }
    await sync.syncNow();
    if (sync.status.state !== 'online') throw new Error(`sync failed: ${sync.status.lastError}`);
    if (Number(cache.syncMeta.get('crashNext')) >= total && cache.outbox.pendingCount() === 0) break;
  }
  cache.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
