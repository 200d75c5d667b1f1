import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUD_URL_ENV } from '../../cloud-client/cloud-target';

/**
 * Whether this run will most likely use the embedded default, decided before the host's modules
 * load: no cloud URL in the environment, and none in a settings file that can be read (none at all
 * on a first start). A damaged file is left to the core (it may keep the last user's cloud).
 */
export function likelyEmbedded(env: Readonly<Record<string, string | undefined>>, userDataDir: string): boolean {
  if (env[CLOUD_URL_ENV]?.trim()) return false;
  let text: string;
  try {
    text = readFileSync(join(userDataDir, 'settings.json'), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  try {
    const cloudUrl = (JSON.parse(text) as { cloudUrl?: unknown } | null)?.cloudUrl;
    return cloudUrl === undefined || cloudUrl === null || cloudUrl === '';
  } catch {
    return false;
  }
}
