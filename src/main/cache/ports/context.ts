import type Database from 'better-sqlite3';
import type { CacheWrites } from '../cache-writes';

/** What every port works with: the read-write connection, the cache's clock, and how it writes (cache-writes.ts). */
export interface PortContext {
  readonly db: Database.Database;
  readonly now: () => number;
  readonly writes: CacheWrites;
}
