/**
 * The storage port: one small interface over PostgreSQL (node-postgres pool) and embedded PGlite,
 * so every service and test runs unchanged on both. Rows come back with the same JS types from
 * both drivers: int8 → number, timestamptz → ISO-8601 string, json/jsonb → parsed values.
 * Arrays and objects are always passed as JSON text to jsonb parameters (`$1::jsonb`).
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** What pg-boss's PGlite adapter needs of the embedded instance (its `fromPglite`). */
export interface PGliteLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg-boss's own signature (rows typed by its caller)
  query<T = any>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<{ rows: Row[] }[]>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

/** How another client (pg-boss) reaches the same database: the embedded instance, or the server's URL. */
export type DatabaseHandle = { kind: 'pglite'; pglite: PGliteLike } | { kind: 'postgres'; connectionString: string };

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  readonly handle: DatabaseHandle;
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; resolves once listening. The returned function stops listening.
   * `onGap` runs when notifications may have been missed (the LISTEN connection was lost and is
   * back): anything derived from them (caches) must be rebuilt.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const INT8_OID = 20;
export const TIMESTAMP_OID = 1114;
export const TIMESTAMPTZ_OID = 1184;

/** What PostgreSQL prints for a timestamptz in a UTC session: `2024-05-01 09:30:00.123456+00`. */
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * PostgreSQL's text form of a timestamptz (session TimeZone=UTC) → ISO-8601 as Date#toISOString
 * writes it (milliseconds, truncated). The usual form is rewritten directly (a sync pull of
 * 100,000 calls parses ~400,000 of these); anything else goes through Date (`database.test.ts`
 * checks both agree).
 */
export function pgTimestampToIso(text: string): string {
  const m = UTC_TIMESTAMP.exec(text);
  if (m) {
    const fraction = m[3];
    const ms = fraction === undefined ? '000' : fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0');
    return `${m[1]}T${m[2]}.${ms}Z`;
  }
  return pgTimestampToIsoViaDate(text);
}

/** The general conversion (other offsets, timestamps without zone, BC dates, infinity). */
export function pgTimestampToIsoViaDate(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  let iso = text.replace(' ', 'T');
  if (/[+-]\d\d$/.test(iso)) iso += ':00';
  else if (!/(Z|[+-]\d\d:\d\d)$/.test(iso)) iso += 'Z';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds Number.MAX_SAFE_INTEGER`);
  return value;
}

/** The text parsers both drivers (postgres.ts, PGlite: pglite-settings.ts) use where the default reading differs: int8 as numbers, timestamps as ISO strings. */
export const ROW_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [INT8_OID]: parseInt8,
  [TIMESTAMPTZ_OID]: pgTimestampToIso,
  [TIMESTAMP_OID]: pgTimestampToIso,
};
