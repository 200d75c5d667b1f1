import { describe, expect, it, vi } from 'vitest';
import type { Database, Queryable } from './database';
import { openingDatabase } from './opening-database';

function fakeDatabase(kind: Database['kind'] = 'pglite'): Database {
  return {
    kind,
    handle: { kind: 'postgres', connectionString: 'postgres://x' },
    query: vi.fn(async (sql: string) => [{ sql }]) as unknown as Database['query'],
    exec: vi.fn(async () => undefined),
    transaction: vi.fn(async <T>(fn: (tx: Queryable) => Promise<T>) => fn({ query: async () => [], exec: async () => undefined })) as Database['transaction'],
    listen: vi.fn(async () => async () => undefined),
    close: vi.fn(async () => undefined),
  };
}

function later<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('openingDatabase', () => {
  it('takes calls at once and runs them on the database once it is open', async () => {
    const opening = later<Database>();
    const db = openingDatabase('pglite', opening.promise);
    expect(db.kind).toBe('pglite');
    const asked = db.query('SELECT 1');
    const execd = db.exec('SET x = 1');
    const real = fakeDatabase();
    expect(real.query).not.toHaveBeenCalled();
    opening.resolve(real);
    await expect(asked).resolves.toEqual([{ sql: 'SELECT 1' }]);
    await execd;
    expect(real.exec).toHaveBeenCalledWith('SET x = 1');
    expect(db.handle).toBe(real.handle);
  });

  it('passes transactions, LISTEN and close through', async () => {
    const real = fakeDatabase();
    const db = openingDatabase('pglite', Promise.resolve(real));
    await expect(db.transaction(async () => 'done')).resolves.toBe('done');
    const onPayload = () => undefined;
    await db.listen('changes', onPayload);
    expect(real.listen).toHaveBeenCalledWith('changes', onPayload, undefined);
    await db.close();
    expect(real.close).toHaveBeenCalledOnce();
  });

  it('fails every call with the opening\'s own error, and closing it is a no-op', async () => {
    const opening = later<Database>();
    const db = openingDatabase('pglite', opening.promise);
    const asked = db.query('SELECT 1');
    opening.reject(new Error('PGlite could not read the data folder'));
    await expect(asked).rejects.toThrow('PGlite could not read the data folder');
    await expect(db.exec('SELECT 1')).rejects.toThrow('PGlite could not read the data folder');
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('says so when its handle is read before it is open', () => {
    const db = openingDatabase('pglite', new Promise<Database>(() => undefined));
    expect(() => db.handle).toThrow('still opening');
  });

  it('refuses a database of another kind than it was told, and closes it', async () => {
    const other = fakeDatabase('postgres');
    const db = openingDatabase('pglite', Promise.resolve(other));
    await expect(db.query('SELECT 1')).rejects.toThrow('Expected a pglite database, opened postgres');
    expect(other.close).toHaveBeenCalledOnce();
  });
});
