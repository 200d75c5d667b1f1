import { SHARED_CLUSTER_ENV, startTestPostgres } from './postgres';

/**
 * vitest globalSetup of the projects whose tests use PostgreSQL: one throwaway cluster for the whole
 * run, handed to the test processes through the environment (testPostgresForFile). Without it each
 * file started its own: an initdb and a server start, seconds each on a busy machine, ~100 times.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[SHARED_CLUSTER_ENV]) return undefined;
  try {
    const cluster = await startTestPostgres();
    process.env[SHARED_CLUSTER_ENV] = cluster.url;
    return async () => {
      delete process.env[SHARED_CLUSTER_ENV];
      await cluster.stop();
    };
  } catch (error) {
    // Tests that need PostgreSQL then start their own cluster and fail with this same reason.
    console.warn(`No shared PostgreSQL for this run (${(error as Error).message.split('\n')[0]}); each test file that needs one starts its own.`);
    return undefined;
  }
}
