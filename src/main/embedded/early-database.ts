import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../cloud/db/database';
import { deferWasmTierUp } from '../../cloud/db/wasm-tiering';
import { resolveCloudTarget } from '../cloud-client/cloud-target';
import { settingsFilePath } from '../settings/settings-file';

/** The embedded default's data folder inside the app's user-data folder. */
export function embeddedDataDir(userDataDir: string): string {
  return join(userDataDir, 'embedded');
}

/**
 * Whether this run will be the embedded default, as far as can be told before the host has loaded:
 * the core's own rule (resolveCloudTarget) on the environment and the settings file's cloud URL.
 * A settings file that does not read as JSON, or an invalid URL, says nothing: the host decides
 * later, and this run opens nothing early.
 */
function looksEmbedded(userDataDir: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const file = settingsFilePath(userDataDir);
  let settingsUrl: string | null = null;
  if (existsSync(file)) {
    try {
      const settings = JSON.parse(readFileSync(file, 'utf8')) as { cloudUrl?: unknown } | null;
      settingsUrl = typeof settings?.cloudUrl === 'string' ? settings.cloudUrl : null;
    } catch {
      return false;
    }
  }
  try {
    return resolveCloudTarget(env, settingsUrl).mode === 'embedded';
  } catch {
    return false;
  }
}

let early: { dataDir: string; db: Promise<Database> } | undefined;

/**
 * Starts opening the embedded database at the very start of the process, before the host loads its
 * own modules: PGlite's boot (most of a second of CPU, on its own worker thread) then runs on the
 * second core beside them, instead of after them on the way to "Ready for calls" (issue #21).
 * Only an existing database is opened, and only when the run looks like the embedded default
 * (looksEmbedded); a first run creates and seeds it as before, once the host has chosen its cloud.
 * The stack takes it (takeEarlyDatabase); when the core chooses a remote cloud after all, it closes
 * it (discardEarlyDatabase), as a host does when it cannot start. Call it only once this process
 * owns the user-data folder (Electron: after the single-instance lock).
 */
export function openEmbeddedDatabaseEarly(userDataDir: string, env: Readonly<Record<string, string | undefined>>): void {
  if (early || !looksEmbedded(userDataDir, env)) return;
  const dataDir = embeddedDataDir(userDataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return;
  // Before the database's chunk compiles, as the worker would set it: the host's code cache is then
  // made and taken under the same V8 flags (wasm-tiering.ts).
  deferWasmTierUp();
  // Its own small chunk, as index.ts loads it: this module is in the host's tiny entry.
  const db = import('./database').then(({ openEmbeddedDatabase }) => openEmbeddedDatabase(dataDir));
  db.catch(() => undefined); // its failure is reported by the stack that takes it (the 'database' stage)
  early = { dataDir, db };
}

/** The database opened early for `dataDir`, once: a later start (a Retry) opens its own. */
export function takeEarlyDatabase(dataDir: string): Promise<Database> | undefined {
  if (early?.dataDir !== dataDir) return undefined;
  const { db } = early;
  early = undefined;
  return db;
}

/** Closes a database opened early that no one took (the host chose a remote cloud, or could not start). */
export async function discardEarlyDatabase(): Promise<void> {
  const left = early;
  early = undefined;
  if (left) await left.db.then((db) => db.close()).catch(() => undefined);
}
