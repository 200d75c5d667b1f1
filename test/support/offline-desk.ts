import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { sandboxConfig, startCloud, type RunningCloud } from '../../src/cloud';
import type { Core, CorePorts } from '../../src/main/core';
import { testCorePorts } from './core-ports';
import { startCutProxy } from './cut-proxy';
import { startTestCore } from './desktop-core';
import { testSchemaTemplate } from './schema-template';

/** A desk whose network the test cuts: the real cloud (PGlite) behind a proxy, and desktop cores on a fresh data folder per test. */
export interface OfflineDesk {
  readonly cloud: RunningCloud;
  /** The cloud's address through the proxy (what a desktop should use). */
  readonly url: string;
  /** This test's data folder (fresh per test). */
  readonly userDataDir: string;
  /** The network goes down: open connections drop, new ones hang. */
  cut(): Promise<void>;
  /** The network is back (nothing if it was not cut). */
  restore(): Promise<void>;
  /** Starts a desktop core on this test's data folder; disposed after the test unless stopped first. */
  start(env?: Record<string, string>): Promise<Core>;
  /** Stops a core as the computer would (the data folder stays). */
  stop(core: Core): Promise<void>;
}

/** Registers the hooks of an offline-desk suite and returns its handle (valid inside tests). */
export function useOfflineDesk(prefix: string): OfflineDesk {
  let cloud: RunningCloud;
  let proxy: Awaited<ReturnType<typeof startCutProxy>>;
  let userDataDir = '';
  let ports: CorePorts;
  let networkCut = false;
  const cores: Core[] = [];

  const restore = async () => {
    if (networkCut) await proxy.restore();
    networkCut = false;
  };

  beforeAll(async () => {
    cloud = await startCloud({ config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 } }), seed: true, pgliteTemplate: testSchemaTemplate });
    proxy = await startCutProxy(cloud.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await cloud?.stop();
  });
  beforeEach(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    ports = testCorePorts();
    await restore();
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    await restore();
    await rm(userDataDir, { recursive: true, force: true });
  });

  return {
    get cloud() {
      return cloud;
    },
    get url() {
      return proxy.url;
    },
    get userDataDir() {
      return userDataDir;
    },
    async cut() {
      await proxy.cut();
      networkCut = true;
    },
    restore,
    async start(env = {}) {
      const core = await startTestCore({ userDataDir, ports, env });
      cores.push(core);
      return core;
    },
    async stop(core) {
      cores.splice(cores.indexOf(core), 1);
      await core.dispose();
    },
  };
}
