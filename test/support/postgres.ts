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
  /**
   * Creates a database with this build's migrations already applied (a copy of a template database
   * migrated once per cluster) and returns its URL: what a test cloud starts from, as the embedded
   * default starts from its schema template. startCloud's `migrate` still runs and finds them
   * applied. Tests of the migrations themselves use createDatabase.
   */
  createSchemaDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A cluster this process started: its Unix socket's folder is known too (the script's `-k`). */
export type StartedPostgres = TestPostgres & { socketDir: string };

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

type Admin = <T>(work: (client: pg.Client) => Promise<T>) => Promise<T>;

/** Databases on a running cluster; `stop()` drops those it made (one still in use is left to the cluster's end). */
function databasesOn(url: string): TestPostgres {
  const made: string[] = [];
  let counter = 0;
  let template: Promise<string> | undefined;
  const admin: Admin = async (work) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const urlOf = (name: string): string => {
    const target = new URL(url);
    target.pathname = `/${name}`;
    return target.toString();
  };
  const newName = (prefix: string): string => `${prefix}_${process.pid}_${Date.now()}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const create = async (prefix: string, from?: string): Promise<string> => {
    const name = newName(prefix);
    await admin((client) => client.query(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from}` : ''}`));
    made.push(name);
    return urlOf(name);
  };
  return {
    url,
    createDatabase: (prefix = 'test') => create(prefix),
    async createSchemaDatabase(prefix = 'test') {
      template ??= schemaTemplateOn(admin, urlOf, newName('schema_building'));
      try {
        return await create(prefix, await template);
      } catch (error) {
        template = undefined;
        throw error;
      }
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
 * The cluster's database at this build's schema: made by the first test process that needs it and
 * kept until the cluster stops (named by the migrations' content, so other SQL makes another one).
 * It is migrated by the cloud's own openDatabase + migrate under a private name and renamed only
 * when whole, so a process that finds the name finds a finished template; of two processes racing,
 * the loser's rename fails and it drops its copy.
 */
async function schemaTemplateOn(admin: Admin, urlOf: (name: string) => string, building: string): Promise<string> {
  // Loaded here, not at the top: the vitest globalSetup imports this file and needs none of the cloud.
  const [{ migrate, openDatabase }, { migrationsKey }, { createCloudLogger }] = await Promise.all([
    import('../../src/cloud/db'),
    import('../../src/cloud/db/pglite-schema-template'),
    import('../../src/cloud/logging'),
  ]);
  const name = `aesthetix_schema_${migrationsKey()}`;
  const exists = async (): Promise<boolean> => (await admin((client) => client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]))).rowCount === 1;
  if (await exists()) return name;
  await admin((client) => client.query(`CREATE DATABASE ${building}`));
  try {
    const db = await openDatabase({ databaseUrl: urlOf(building), dataDir: '', log: createCloudLogger({ logLevel: 'silent' }) });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await admin((client) => client.query(`ALTER DATABASE ${building} RENAME TO ${name}`));
  } catch (error) {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${building}`)).catch(() => {});
    if (!(await exists())) throw error;
  }
  return name;
}

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 (installing Debian's postgresql first if
 * needed) via scripts/postgres-test.sh. Benchmarks start their own; tests use testPostgresForFile.
 */
export async function startTestPostgres(): Promise<StartedPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'aesthetix-pg-'));
  const { stdout } = await run('bash', [script, 'start', dir], { timeout: 300_000 });
  const url = stdout.trim().split('\n').pop()!;
  const databases = databasesOn(url);
  return {
    url,
    socketDir: dir,
    // Its databases go with the cluster: no need to drop them one by one.
    createDatabase: databases.createDatabase,
    createSchemaDatabase: databases.createSchemaDatabase,
    async stop() {
      await run('bash', [script, 'stop', dir], { timeout: 60_000 });
    },
  };
}
