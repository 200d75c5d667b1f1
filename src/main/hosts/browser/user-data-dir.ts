import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The browser host's user-data folder: AESTHETIX_USER_DATA_DIR, else ~/.config/aesthetix-softphone-browser. */
export function browserUserDataDir(env: Readonly<Record<string, string | undefined>>): string {
  return resolve(env.AESTHETIX_USER_DATA_DIR ?? join(homedir(), '.config', 'aesthetix-softphone-browser'));
}
