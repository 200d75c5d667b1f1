import pino from 'pino';
import { configFromEnvOrExit } from './cli-config';
import { migrate, openDatabase } from './db';
import { formatMicros, parsePriceArgs, PriceArgsError } from './numbers/price-cli-args';
import { listPrices, setPrice } from './numbers/prices';

/**
 * `npm run cloud:prices [-- list]` prints the price table numbers are sold at;
 * `npm run cloud:prices -- set US local --monthly 1.50 --inbound 0.0100 --outbound 0.0160 [--currency USD]`
 * changes one row. Admins see the new price before their next purchase.
 */
async function main(): Promise<void> {
  let command;
  try {
    command = parsePriceArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof PriceArgsError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const config = configFromEnvOrExit('storage');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: pino({ level: 'warn' }) });
  try {
    await migrate(db);
    if (command.command === 'set') {
      const saved = await setPrice(db, command);
      console.log(`Set ${saved.country} ${saved.numberType}.`);
    }
    for (const p of await listPrices(db)) {
      console.log(
        `${p.country} ${p.numberType.padEnd(9)} ${p.monthlyFee.currency} ${formatMicros(p.monthlyFee.micros).padStart(7)}/month  in ${formatMicros(p.inboundPerMinute.micros)}/min  out ${formatMicros(p.outboundPerMinute.micros)}/min`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
