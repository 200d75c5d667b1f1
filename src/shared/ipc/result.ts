import type { z } from 'zod';

/** Every call across the bridge resolves to one of these: a value, or an error with a stable code. */
export type IpcError = { code: IpcErrorCode | (string & {}); message: string };
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Codes the bridge itself produces; handlers may add domain codes of their own. */
export type IpcErrorCode =
  | 'BAD_INPUT'
  | 'BAD_OUTPUT'
  | 'FORBIDDEN_SENDER'
  | 'UNKNOWN_CHANNEL'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcError['code'], message: string): IpcResult<never> => ({
  ok: false,
  error: { code, message },
});

/** A thrown error that a handler means to show: its code and message cross the bridge as they are. */
export class IpcFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}

/** Turns a zod error into one line a person can read: "number: Invalid phone number; callerId: Required". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
