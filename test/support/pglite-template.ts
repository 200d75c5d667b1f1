import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cachedPgliteTemplate } from '../../src/cloud/db/pglite-template';

const root = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
/** Kept between runs: it depends only on the installed PGlite (the file name carries its version). */
const file = join(root, 'node_modules/.cache/aesthetix-tests', `pglite-${version}-empty.tgz`);

let template: Promise<Blob> | undefined;
/** The empty PGlite data folder every test database starts from (one initdb per PGlite version, not per test). */
export function testPgliteTemplate(): Promise<Blob> {
  template ??= cachedPgliteTemplate(file);
  return template;
}
