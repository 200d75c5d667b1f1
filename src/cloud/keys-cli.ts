import pino from 'pino';
import { configFromEnvOrExit } from './cli-config';
import { openDatabase } from './db';
import { serializeKeyFile } from './keys/key-file';
import { generateKeyEntry } from './keys/key-ring';
import { legacyEntry } from './keys/load';

/**
 * `npm run cloud:keys -- generate`: a new key file with one fresh key (stdout; save it with mode 0600).
 * `npm run cloud:keys -- export-legacy`: the keys an earlier version kept in the database, as a key
 * file to merge into yours (its entry goes LAST: it only verifies and decrypts old data).
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'generate') {
    process.stdout.write(serializeKeyFile([generateKeyEntry()]));
    return;
  }
  if (command === 'export-legacy') {
    const config = configFromEnvOrExit('storage');
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: pino({ level: 'warn' }) });
    try {
      const legacy = await legacyEntry(db);
      if (!legacy) {
        console.error('No keys in the database (server_secrets): nothing to export.');
        return;
      }
      process.stdout.write(serializeKeyFile([legacy]));
      console.error('Add this entry at the END of the "keys" list of your CLOUD_KEYS_FILE; the next start removes the rows from the database.');
    } finally {
      await db.close();
    }
    return;
  }
  console.error('usage: npm run cloud:keys -- generate | export-legacy');
  process.exit(64);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
