import { configFromEnvOrExit } from './cli-config';
import { startCloud } from './index';

/** `npm run cloud`: the standalone API server, configured from the environment (see README.md). */
async function main(): Promise<void> {
  const config = configFromEnvOrExit();
  const cloud = await startCloud({ config, seed: process.env.CLOUD_SEED === '1' });
  console.log(`Aesthetix cloud API on ${cloud.url} (${cloud.db.kind}${config.sandbox ? ', sandbox mode' : ''})`);
  let signals = 0;
  const shutdown = (signal: string): void => {
    signals += 1;
    if (signals > 1) process.exit(1);
    console.log(`${signal}: finishing in-flight requests…`);
    cloud.stop().then(
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
