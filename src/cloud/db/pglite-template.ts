import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A new PGlite database spends most of its first start in initdb (seconds of WASM work). What
 * initdb leaves is the same for every new database of one PGlite build, so it can be made once,
 * kept as a tarball, and each new database started from it (PGlite's `loadDataDir`): about three
 * times faster. Nothing of a practice is in it, only PostgreSQL's empty catalogue.
 */
export async function makePgliteTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  const db = await PGlite.create({ dataDir: 'memory://' });
  try {
    const dump = await db.dumpDataDir('gzip');
    return new Uint8Array(await dump.arrayBuffer());
  } finally {
    await db.close();
  }
}

/** The template kept in `file`, or undefined when there is none (a new database then runs initdb). */
export async function readPgliteTemplate(file: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(file)]);
  } catch {
    return undefined;
  }
}

/** The template in `file`, made (by `make`, default the empty one) and written there first if it is missing (whole or not at all). */
export async function cachedPgliteTemplate(file: string, make: () => Promise<Uint8Array<ArrayBuffer>> = makePgliteTemplate): Promise<Blob> {
  const kept = await readPgliteTemplate(file);
  if (kept) return kept;
  const made = await make();
  await mkdir(dirname(file), { recursive: true });
  // Written aside and renamed: a reader in another process never sees half a tarball.
  const partial = `${file}.${randomUUID()}.partial`;
  await writeFile(partial, made);
  await rename(partial, file);
  return new Blob([made.slice()]);
}

/** Where a checkout keeps the template between builds and test runs: it depends only on the installed PGlite. */
export function checkoutPgliteTemplateFile(projectRoot: string): string {
  const manifest = join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return join(projectRoot, 'node_modules/.cache/aesthetix', `pglite-${version}-empty.tgz`);
}
