import pino from 'pino';
import { configFromEnvOrExit } from './cli-config';
import { migrate, openDatabase } from './db';
import { ApiError } from './errors';
import { numbersDeps } from './numbers/deps';
import { supportRestoreNumber } from './numbers/lifecycle';
import { formatMicros } from './numbers/price-cli-args';

const USAGE = 'Usage: npm run cloud:numbers -- restore <numberId>';

/**
 * Aesthetix support's tools for a practice's numbers, configured from the environment like
 * `npm run cloud`. `restore <numberId>`: a number the practice released by accident, within 10
 * days of its deletion, is bought back if nobody has claimed it and is the practice's again with
 * the default settings, billed at once (seed 001). A number deleted with NO the practice restores
 * itself, with its settings, from Deleted numbers.
 */
async function main(): Promise<void> {
  const [command, numberId, ...rest] = process.argv.slice(2);
  if (command !== 'restore' || !numberId || rest.length > 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = configFromEnvOrExit();
  const log = pino({ level: 'warn' });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    await migrate(db);
    // The number is pointed at the API's public webhooks, as a purchase does.
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    const restored = await supportRestoreNumber(numbersDeps({ db, config, log, publicUrl: () => publicUrl }), numberId);
    const { number, charged } = restored;
    console.log(`Restored ${number.number} (${number.name}) for account ${restored.accountId}: settings back to the defaults, ${charged.currency} ${formatMicros(charged.micros)} charged.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
