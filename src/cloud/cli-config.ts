import { ConfigError, configFromEnv, type CloudConfig } from './config';

/** The configuration from the environment for a command-line entry, or its problems and exit code 2. */
export function configFromEnvOrExit(): CloudConfig {
  try {
    return configFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
