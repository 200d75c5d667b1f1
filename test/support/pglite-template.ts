import { resolve } from 'node:path';
import { cachedPgliteTemplate, checkoutPgliteTemplateFile } from '../../src/cloud/db/pglite-template';

let template: Promise<Blob> | undefined;
/** The empty PGlite data folder every test database starts from (one initdb per PGlite version, not per test). */
export function testPgliteTemplate(): Promise<Blob> {
  template ??= cachedPgliteTemplate(checkoutPgliteTemplateFile(resolve(import.meta.dirname, '../..')));
  return template;
}
