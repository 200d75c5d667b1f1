import * as m0010 from './0010-initial-schema';
import * as m0020 from './0020-two-factor';
import * as m0030 from './0030-security';

/**
 * Numbered migrations, applied in order, each once. Versions step by 10 so a fix can slot in.
 * They are TypeScript modules holding SQL (not .sql files) so that bundlers (electron-vite for the
 * desktop's embedded cloud) carry them without file-system lookups.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  { version: 10, ...m0010 },
  { version: 20, ...m0020 },
  { version: 30, ...m0030 },
];
