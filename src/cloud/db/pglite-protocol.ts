/**
 * Messages between the cloud's thread and the PGlite worker (pglite-worker.ts ↔ pglite.ts).
 * Every request carries an id answered by exactly one `result`; `notify` messages carry LISTEN
 * payloads. A transaction is opened by `begin` (answered once it holds PGlite's connection), its
 * statements name it by `tx`, and `end` commits or rolls it back and answers with the outcome.
 */
export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number | undefined }
  | { id: number; op: 'exec'; sql: string; tx?: number | undefined }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string; listener: number }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'close' };

/** A database error's fields (code, constraint, detail…) so the cloud's thread sees the same error. */
export interface SerializedDbError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

export type PgliteResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedDbError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedDbError }
  | { type: 'notify'; listener: number; payload: string };

export interface PgliteWorkerData {
  dataDir: string;
  /** pglite-template.ts's tarball of an empty data folder, sent only for a new database: it starts from it instead of initdb. */
  template?: Uint8Array<ArrayBuffer> | undefined;
}

export function serializeDbError(error: unknown): SerializedDbError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/** The worker's error as an Error on this side, with the same `code`, `constraint`, `detail`… */
export function reviveDbError(error: SerializedDbError): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  revived.name = error.name;
  return revived;
}
