import pino from 'pino';
import { startAutomation } from './automation';
import { configFromEnvOrExit } from './cli-config';
import { migrate, openDatabase } from './db';

/**
 * `npm run cloud:worker`: the automation engine's workers only (no HTTP API), configured from the
 * environment like `npm run cloud`. Start as many as the load needs, on any machines, against one
 * PostgreSQL (DATABASE_URL). CLOUD_PUBLIC_URL must be the API's public URL (links and callbacks).
 */
async function main(): Promise<void> {
  const config = configFromEnvOrExit();
  const log = pino({ level: config.logLevel, base: { service: 'aesthetix-worker' } });
  if (!config.databaseUrl) log.warn('no DATABASE_URL: running on embedded PGlite, which only this process can open');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  await migrate(db);
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const automation = await startAutomation({ db, config, log, publicUrl: () => publicUrl });
  console.log(`Aesthetix automation worker (${db.kind}) pid ${process.pid}`);
  let signals = 0;
  const shutdown = (signal: string): void => {
    signals += 1;
    if (signals > 1) process.exit(1);
    console.log(`${signal}: finishing running steps…`);
    automation
      .stop()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
