// Form bodies and query strings arrive as string | string[]; zod schemas see them normalised.
import { z } from 'zod';
import { TwilioRestError } from './errors';

export type RawForm = Record<string, string | string[] | undefined>;

/** First value of a field (Twilio ignores repeats except for list parameters). */
export function single(form: RawForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
}

export function list(form: RawForm, key: string): string[] {
  const v = form[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export const httpMethod = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['GET', 'POST'])).optional();
export const bool = z.enum(['true', 'false', 'True', 'False']).transform((v) => v.toLowerCase() === 'true').optional();

export function parseForm<T extends z.ZodType>(schema: T, form: unknown): z.infer<T> {
  const result = schema.safeParse(single((form ?? {}) as RawForm));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new TwilioRestError(400, 20001, `Invalid parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'bad request'}`);
}
