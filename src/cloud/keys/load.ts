import { dirname } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { CloudConfig } from '../config';
import type { Database } from '../db';
import { KeyFileError, parseKeyList, readKeyFile, serializeKeyFile, writeKeyFile } from './key-file';
import { KeyRing, LEGACY_KEY_ID, generateKeyEntry, type KeyEntry, type KeyPurpose } from './key-ring';

/** Where the ring came from, and whether this process may add to it (only keys it generated itself). */
interface Source {
  entries: KeyEntry[];
  /** The file the cloud manages (sandbox mode), or null: in memory / operator-provided. */
  managedFile: string | null;
  managed: boolean;
}

/** The file sandbox mode keeps its generated keys in: beside the PGlite folder, never inside the database. */
export const sandboxKeysFile = (dataDir: string): string => `${dataDir.replace(/[\\/]+$/, '')}.keys.json`;

async function source(config: CloudConfig): Promise<Source> {
  if (config.keys) return { entries: parseKeyList(config.keys), managedFile: null, managed: false };
  if (config.keysFile) {
    const entries = await readKeyFile(config.keysFile);
    if (entries) return { entries, managedFile: config.sandbox ? config.keysFile : null, managed: config.sandbox };
    if (!config.sandbox) throw new KeyFileError(`CLOUD_KEYS_FILE ${config.keysFile} does not exist (npm run cloud:keys -- generate > it, chmod 600)`);
    return generateInto(config.keysFile);
  }
  if (!config.sandbox) throw new KeyFileError('server keys are required outside sandbox mode: set CLOUD_KEYS or CLOUD_KEYS_FILE');
  if (config.dataDir.startsWith('memory://')) return { entries: [generateKeyEntry()], managedFile: null, managed: true };
  const file = sandboxKeysFile(config.dataDir);
  const entries = await readKeyFile(file);
  return entries ? { entries, managedFile: file, managed: true } : generateInto(file);
}

async function generateInto(file: string): Promise<Source> {
  await mkdir(dirname(file), { recursive: true });
  try {
    // Exclusive create: two instances starting at once end up with the same file, not two key sets.
    await writeFile(file, serializeKeyFile([generateKeyEntry()]), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { entries: (await readKeyFile(file))!, managedFile: file, managed: true };
}

/** The keys an older build generated into `server_secrets`, as one verification-only entry. */
export async function legacyEntry(db: Database): Promise<KeyEntry | null> {
  const rows = await db.query<{ name: string; value: string }>(`SELECT name, value FROM server_secrets WHERE name IN ('jwt', 'twofa-hmac', 'twofa-totp')`);
  if (rows.length === 0) return null;
  const purposes: Partial<Record<KeyPurpose, Buffer>> = {};
  for (const { name, value } of rows) {
    // The JWT secret was used as text; the 2FA keys were base64url of 32 random bytes.
    purposes[name as KeyPurpose] = name === 'jwt' ? Buffer.from(value, 'utf8') : Buffer.from(value, 'base64url');
  }
  return { id: LEGACY_KEY_ID, purposes };
}

const sameEntry = (a: KeyEntry, b: KeyEntry): boolean =>
  Object.entries(b.purposes ?? {}).every(([purpose, key]) => a.purposes?.[purpose as KeyPurpose]?.equals(key) === true);

/**
 * The key ring for this process. Keys an older build kept in the database move out: sandbox mode
 * writes them into its own key file (verification only) and deletes the rows; with operator keys
 * the start is refused until the operator has added them (`npm run cloud:keys -- export-legacy`).
 */
export async function loadKeyRing(config: CloudConfig, db: Database, log: Logger): Promise<KeyRing> {
  const found = await source(config);
  const legacy = await legacyEntry(db);
  let entries = found.entries;
  if (legacy) {
    const present = entries.find((e) => e.id === LEGACY_KEY_ID);
    if (present && !sameEntry(present, legacy)) {
      throw new KeyFileError(`the key ring's "${LEGACY_KEY_ID}" entry does not match the keys still in the database (server_secrets)`);
    }
    if (!present) {
      if (!found.managed) {
        throw new KeyFileError(
          'The database still holds server keys from an earlier version (table server_secrets). Move them out before starting: ' +
            '`npm run cloud:keys -- export-legacy` prints them as a key entry; add it to the end of CLOUD_KEYS_FILE (or run with that file), then start again — the rows are deleted once the keys are configured.',
        );
      }
      entries = [...entries, legacy];
      if (!found.managedFile) {
        // Keys generated in memory (an ephemeral sandbox): nowhere to keep the old ones, so they stay put.
        log.warn('server keys of an earlier version remain in the database: this sandbox keeps its keys in memory only');
        return new KeyRing(entries);
      }
      await writeKeyFile(found.managedFile, entries);
    }
    await db.query(`DELETE FROM server_secrets WHERE name IN ('jwt', 'twofa-hmac', 'twofa-totp')`);
    log.warn({ keyId: LEGACY_KEY_ID }, 'moved the server keys an earlier version kept in the database out of it (verification only from now on)');
  }
  return new KeyRing(entries);
}
