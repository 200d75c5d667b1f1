import { ApiError } from '../errors';

/**
 * A database constraint a request ran into, as the client's error (issue [security] #8): a
 * foreign key to nothing is NOT_FOUND, a duplicate CONFLICT, a value out of range BAD_REQUEST —
 * never a 500, and never saying which ids exist. The services check ids against the caller's
 * practice first; this is the net under those checks. null: not a constraint error.
 */
export function constraintError(error: unknown): ApiError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^(22|23)[0-9A-Z]{3}$/.test(code)) return null;
  if (code === '23503') return new ApiError('NOT_FOUND', 'Something this request refers to does not exist in your practice');
  if (code === '23505') return new ApiError('CONFLICT', 'That conflicts with something that already exists');
  return new ApiError('BAD_REQUEST', 'A value in this request is not allowed');
}
