import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { KEY_ID, KEY_PURPOSES, type KeyEntry, type KeyPurpose } from './key-ring';

/**
 * Key files: `{ "keys": [ { "id": "k20250601-a1b2c3", "secret": "<base64url, ≥ 32 bytes>" }, … ] }`,
 * newest (current) first; imported legacy entries carry `"purposes": { "jwt": "…", … }` instead of
 * a secret. Written with mode 0600, replaced atomically.
 */
const bytes = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url').transform((v) => Buffer.from(v, 'base64url'));
const entrySchema = z
  .object({
    id: z.string().regex(KEY_ID, 'must be 1–40 letters, digits, _ or -'),
    secret: bytes.refine((b) => b.length >= 32, 'must be at least 32 bytes').optional(),
    purposes: z.partialRecord(z.enum(KEY_PURPOSES), bytes).optional(),
  })
  .refine((e) => e.secret || (e.purposes && Object.keys(e.purposes).length > 0), 'needs a secret (or, for imported keys, purposes)');
export const keyFileSchema = z.object({ keys: z.array(entrySchema).min(1) });

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export function parseKeyFile(text: string, where: string): KeyEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyFileError(`${where} is not JSON`);
  }
  const result = keyFileSchema.safeParse(json);
  if (!result.success) {
    throw new KeyFileError(`${where} is not a valid key file:\n${result.error.issues.map((i) => `  - ${i.path.join('.') || 'keys'}: ${i.message}`).join('\n')}`);
  }
  return result.data.keys.map((e) => ({ id: e.id, ...(e.secret ? { secret: e.secret } : {}), ...(e.purposes ? { purposes: e.purposes as Partial<Record<KeyPurpose, Buffer>> } : {}) }));
}

export function serializeKeyFile(entries: readonly KeyEntry[]): string {
  const keys = entries.map((e) => ({
    id: e.id,
    ...(e.secret ? { secret: e.secret.toString('base64url') } : {}),
    ...(e.purposes ? { purposes: Object.fromEntries(Object.entries(e.purposes).map(([p, k]) => [p, k.toString('base64url')])) } : {}),
  }));
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

/** Reads a key file; undefined when it does not exist. Refuses one that other users can read. */
export async function readKeyFile(path: string): Promise<KeyEntry[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    throw new KeyFileError(`${path} can be read by other users: chmod 600 it`);
  }
  return parseKeyFile(text, path);
}

/** Writes (or replaces) a key file readable by its owner only. */
export async function writeKeyFile(path: string, entries: readonly KeyEntry[]): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, serializeKeyFile(entries), { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** `CLOUD_KEYS`: `id:base64url-secret,id:base64url-secret` (current first). */
export function parseKeyList(value: string): KeyEntry[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item, index) => {
      const [id, secret, ...rest] = item.split(':');
      if (!id || !secret || rest.length > 0) throw new KeyFileError(`CLOUD_KEYS entry ${index + 1} must look like id:base64url-secret`);
      return { id, secret: Buffer.from(secret, 'base64url') };
    });
}
