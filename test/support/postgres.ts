import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const script = resolve(import.meta.dirname, '../../scripts/postgres-test.sh');

export interface TestPostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Set by the vitest globalSetup (postgres-global-setup.ts) to the run's shared cluster. */
export const SHARED_CLUSTER_ENV = 'AESTHETIX_TEST_PG_URL';

/**
 * This test file's PostgreSQL: the run's shared cluster when vitest's globalSetup started one (a new
 * cluster per file costs an initdb and a server start: seconds each, a hundred times a run), else a
 * throwaway cluster of its own. Either way each database is new, named by process and counter, and
 * `stop()` removes what this file made: the shared cluster's databases it created, or its own cluster.
 */
export async function testPostgresForFile(): Promise<TestPostgres> {
  const shared = process.env[SHARED_CLUSTER_ENV];
  return shared ? databasesOn(shared) : startTestPostgres();
}

/** Databases on a running cluster; `stop()` drops those it made (one still in use is left to the cluster's end). */
function databasesOn(url: string): TestPostgres {
  const made: string[] = [];
  let counter = 0;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    async createDatabase(prefix = 'test') {
      const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      made.push(name);
      const target = new URL(url);
      target.pathname = `/${name}`;
      return target.toString();
    },
    async stop() {
      // Not WITH (FORCE): a pool a test left open would see its connections killed mid-teardown.
      await admin(async (client) => {
        for (const name of made.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
      }).catch(() => {});
    },
  };
}

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 (installing Debian's postgresql first if
 * needed) via scripts/postgres-test.sh. Benchmarks start their own; tests use testPostgresForFile.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'aesthetix-pg-'));
  const { stdout } = await run('bash', [script, 'start', dir], { timeout: 300_000 });
  const url = stdout.trim().split('\n').pop()!;
  return {
    url,
    // Its databases go with the cluster: no need to drop them one by one.
    createDatabase: databasesOn(url).createDatabase,
    async stop() {
      await run('bash', [script, 'stop', dir], { timeout: 60_000 });
    },
  };
}
