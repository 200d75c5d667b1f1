import { resolve } from 'node:path';
import { cachedPgliteTemplate } from '../../src/cloud/db/pglite-template';
import { checkoutSchemaTemplateFile, makeSchemaTemplate } from '../../src/cloud/db/pglite-schema-template';
import { testPgliteTemplate } from './pglite-template';

let template: Promise<Blob> | undefined;
/**
 * What a test cloud's new PGlite database starts from: PGlite's empty catalogue with this build's
 * migrations applied, the same template the embedded default ships with (electron.vite.config.ts
 * makes the same file). A new database then skips initdb and the ~70 migrations (seconds of WASM
 * work per cloud); startCloud's `migrate` still runs and finds them applied. Tests of the
 * migrations themselves start from the empty template (pglite-template.ts) instead.
 */
export function testSchemaTemplate(): Promise<Blob> {
  template ??= cachedPgliteTemplate(checkoutSchemaTemplateFile(resolve(import.meta.dirname, '../..')), async () => makeSchemaTemplate(await testPgliteTemplate()));
  return template;
}
