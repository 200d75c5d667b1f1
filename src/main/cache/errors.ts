import type { z } from 'zod';

/** Input that the cache refuses to store (bad shape, unknown reference, conflicting key). Nothing was written. */
export class CacheInputError extends Error {
  override readonly name = 'CacheInputError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
  }

  static fromZod(what: string, error: z.ZodError): CacheInputError {
    return new CacheInputError(
      `Invalid ${what}`,
      error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
}

/** The database file was written by a newer version of the app; opening it could lose data. */
export class CacheFromFutureError extends Error {
  override readonly name = 'CacheFromFutureError';
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The local cache ${file} has schema version ${fileVersion}, newer than this app understands (${knownVersion}). ` +
        'It was written by a newer Aesthetix Softphone; update the app, or delete the cache file to resync from the cloud.',
    );
  }
}

/** Parses input at the cache boundary; a failure is a CacheInputError and nothing is written. */
export function validate<S extends z.ZodType>(schema: S, what: string, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw CacheInputError.fromZod(what, parsed.error);
  return parsed.data;
}

/** SQLite (or the file system) could not write for lack of space: SQLITE_FULL, ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}
