import { ConfigError, configFromEnv, storageConfigFromEnv, type CloudConfig } from './config';

/** The configuration from the environment for a command-line entry, or its problems and exit code 2. */
export function configFromEnvOrExit(): CloudConfig;
export function configFromEnvOrExit(scope: 'storage'): ReturnType<typeof storageConfigFromEnv>;
export function configFromEnvOrExit(scope?: 'storage'): CloudConfig | ReturnType<typeof storageConfigFromEnv> {
  try {
    return scope === 'storage' ? storageConfigFromEnv() : configFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
