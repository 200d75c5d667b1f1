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

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 (installing Debian's postgresql first if
 * needed) via scripts/postgres-test.sh. Each test file starts its own and stops it in afterAll.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'aesthetix-pg-'));
  const { stdout } = await run('bash', [script, 'start', dir], { timeout: 300_000 });
  const url = stdout.trim().split('\n').pop()!;
  let counter = 0;
  return {
    url,
    async createDatabase(prefix = 'test') {
      const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const target = new URL(url);
      target.pathname = `/${name}`;
      return target.toString();
    },
    async stop() {
      await run('bash', [script, 'stop', dir], { timeout: 60_000 });
    },
  };
}
