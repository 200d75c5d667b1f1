import { createCore, type Core, type CorePorts } from '../../src/main/core';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { testCorePorts, testHost } from './core-ports';

/** A desktop core for integration tests: the real cache, settings file and sync, the given ports (a shared memory keychain across restarts). */
export function startTestCore(options: { userDataDir: string; ports?: CorePorts; env?: Record<string, string> }): Promise<Core> {
  return createCore({
    appVersion: '0.0.0-test',
    env: options.env ?? {},
    platform: 'test',
    isTrustedSender: () => true,
    userDataDir: options.userDataDir,
    ports: options.ports ?? testCorePorts(),
    host: testHost,
    log: () => undefined,
  });
}

/** Resolves with the first sync status (current or pushed) that matches. */
export function waitForSync(core: Core, predicate: (s: SyncStatus) => boolean, label: string, timeoutMs = 30_000): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    if (predicate(core.sync.status)) return resolve(core.sync.status);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for sync ${label}; last: ${JSON.stringify(core.sync.status)}`));
    }, timeoutMs);
    const off = core.events.addSink((event, payload) => {
      if (event === 'sync.status' && predicate(payload as SyncStatus)) {
        clearTimeout(timer);
        off();
        resolve(payload as SyncStatus);
      }
    });
  });
}
