import type { Database, DatabaseHandle, Queryable } from './database';

/**
 * A database that is still opening, usable at once: each call waits for the opening, then goes to
 * the database itself (directly, once it is open). Lets the cloud build its HTTP app while an
 * embedded PGlite boots on its own thread (issue #21: the route tables took 100–200 ms of the way
 * to "Ready for calls", after a wait of as long for the database). A failed opening fails every
 * call with its error. `kind` is given, since the app's admission limits read it while it builds.
 */
export function openingDatabase(kind: Database['kind'], opening: Promise<Database>): Database {
  let open: Database | undefined;
  const whenOpen = opening.then((db) => {
    if (db.kind !== kind) {
      // Not usable, so closed here: nothing else holds it.
      void db.close().catch(() => undefined);
      throw new Error(`Expected a ${kind} database, opened ${db.kind}`);
    }
    return (open = db);
  });
  // Settled here too: a failure nobody has asked for yet is not an unhandled rejection.
  whenOpen.catch(() => undefined);
  const after = <T>(use: (db: Database) => Promise<T>): Promise<T> => (open ? use(open) : whenOpen.then(use));
  return {
    kind,
    get handle(): DatabaseHandle {
      if (!open) throw new Error('The database is still opening');
      return open.handle;
    },
    query: (sql, params) => after((db) => db.query(sql, params)),
    exec: (sql) => after((db) => db.exec(sql)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => after((db) => db.transaction(fn)),
    listen: (channel, onPayload, onGap) => after((db) => db.listen(channel, onPayload, onGap)),
    // Closes it once open; an opening that failed has nothing to close.
    close: () => whenOpen.then((db) => db.close(), () => undefined),
  };
}
