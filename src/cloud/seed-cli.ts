import pino from 'pino';
import { configFromEnvOrExit } from './cli-config';
import { migrate, openDatabase, seedDemo } from './index';

/** `npm run cloud:seed`: migrate and seed the demo practice into DATABASE_URL or the PGlite data dir. */
async function main(): Promise<void> {
  const config = configFromEnvOrExit('storage');
  const log = pino({ level: 'warn' });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    await migrate(db);
    const result = await seedDemo(db, { argon2: config.argon2 });
    console.log(result.created ? 'Seeded the demo practice.' : 'The demo practice was already there; nothing changed.');
    for (const user of Object.values(result.users)) console.log(`  ${user.role.padEnd(5)} ${user.email}  password: ${result.password}`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
