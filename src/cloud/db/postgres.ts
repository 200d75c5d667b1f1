import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { currentLane } from './lanes';
import { ROW_PARSERS, type Database, type Queryable, type Row } from './database';

// Per-pool parsers: the process-wide pg.types registry stays untouched for other users of pg.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return ROW_PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export interface PoolSizes {
  /** Connections for everything but webhooks (sync, the API, workers' reads). */
  poolSize: number;
  /** Connections only Twilio's webhooks use (the `webhook` lane, lanes.ts). */
  webhookPoolSize: number;
}

/**
 * A PostgreSQL server through two node-postgres pools — one for Twilio's webhooks, one for
 * everything else, so a burst of sync pushes can never take the connection a ringing call's
 * webhook needs — plus one dedicated connection for LISTEN. The caller's lane picks the pool.
 */
export async function openPostgres(connectionString: string, log: Logger, sizes: PoolSizes = { poolSize: 10, webhookPoolSize: 6 }): Promise<Database> {
  const open = (max: number, name: string): pg.Pool => {
    const pool = new pg.Pool({ connectionString, max, types, options: '-c TimeZone=UTC', application_name: `aesthetix-${name}` });
    pool.on('error', (error) => log.warn({ err: error, pool: name }, 'idle PostgreSQL connection failed'));
    return pool;
  };
  const pools = { default: open(sizes.poolSize, 'api'), webhook: open(sizes.webhookPoolSize, 'webhooks') };
  await pools.default.query('select 1');

  const listeners = new Map<string, Set<(payload: string) => void>>();
  const gapListeners = new Set<() => void>();
  let listenClient: pg.Client | undefined;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString, types });
    client.on('notification', (message) => {
      for (const callback of listeners.get(message.channel) ?? []) callback(message.payload ?? '');
    });
    client.on('error', (error) => {
      log.warn({ err: error }, 'PostgreSQL LISTEN connection lost; reconnecting');
      listenClient = undefined;
      client.end().catch(() => undefined);
      scheduleReconnect();
    });
    await client.connect();
    for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return client;
  }
  function scheduleReconnect(delay = 500): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connectListener().then(
        (client) => {
          listenClient = client;
          // Whatever was notified while the connection was down is lost.
          for (const onGap of gapListeners) onGap();
        },
        () => scheduleReconnect(Math.min(delay * 2, 10_000)),
      );
    }, delay);
  }

  // Parameterised statements are prepared once per connection (named by a hash of their text):
  // the hot webhook queries then skip parsing and planning.
  const names = new Map<string, string>();
  const nameFor = (sql: string): string => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
    return name;
  };
  const runner = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      const result = params.length > 0 ? await client.query({ text: sql, values: params as unknown[], name: nameFor(sql) }) : await client.query(sql);
      return result.rows as R[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  const runners = { default: runner(pools.default), webhook: runner(pools.webhook) };

  return {
    kind: 'postgres',
    handle: { kind: 'postgres', connectionString },
    query: <R extends Row = Row>(sql: string, params?: readonly unknown[]) => runners[currentLane()].query<R>(sql, params),
    exec: (sql) => runners[currentLane()].exec(sql),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pools[currentLane()].connect();
      try {
        await client.query('BEGIN');
        const result = await fn(runner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload, onGap) {
      if (onGap) gapListeners.add(onGap);
      let set = listeners.get(channel);
      const first = !set;
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(onPayload);
      if (!listenClient) listenClient = await connectListener();
      else if (first) await listenClient.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        if (onGap) gapListeners.delete(onGap);
        set.delete(onPayload);
        if (set.size === 0) {
          listeners.delete(channel);
          await listenClient?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await listenClient?.end().catch(() => undefined);
      await Promise.all([pools.default.end(), pools.webhook.end()]);
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
