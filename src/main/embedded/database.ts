import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../cloud/db/database';
import { openPglite } from '../../cloud/db/pglite';

const TEMPLATE_FILE = 'pglite-template.tgz';

/**
 * The empty database the build ships (electron.vite.config.ts), so the first start skips PGlite's
 * initdb. Bundled, this code sits in a chunk one folder below out/main; run from source there is
 * none, and a new database runs initdb as it would without it.
 */
async function builtPgliteTemplate(): Promise<Blob | undefined> {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return undefined;
  const file = [TEMPLATE_FILE, `../${TEMPLATE_FILE}`].map((name) => fileURLToPath(new URL(name, here))).find((path) => existsSync(path));
  return file ? new Blob([await readFile(file)]) : undefined;
}

/**
 * Opens the embedded cloud's database (PGlite on its own worker thread, files in `dataDir`). Kept
 * out of the stack's chunk on purpose: index.ts starts this first, so PGlite's WASM boots on the
 * worker while this thread is still loading the cloud and sandbox code.
 */
export function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  return openPglite(dataDir, { template: builtPgliteTemplate });
}
