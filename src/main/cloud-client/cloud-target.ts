import { checkCloudAddress } from './cloud-address';

/**
 * Which cloud API this run talks to. With no URL configured the app runs the embedded default:
 * main starts the cloud API (PGlite) and the Twilio sandbox itself. A URL (environment or settings)
 * points it at a real deployment and real Twilio.
 */
export type CloudTarget = { mode: 'embedded' } | { mode: 'remote'; url: string };

export const CLOUD_URL_ENV = 'AESTHETIX_CLOUD_URL';

export function resolveCloudTarget(
  env: Readonly<Record<string, string | undefined>>,
  settingsUrl?: string | null,
): CloudTarget {
  const candidate = env[CLOUD_URL_ENV]?.trim() || settingsUrl?.trim();
  if (!candidate) return { mode: 'embedded' };
  const check = checkCloudAddress(candidate);
  if (!check.ok) throw new Error(`${CLOUD_URL_ENV} / the cloud URL setting is not a valid cloud address: ${check.reason}`);
  return { mode: 'remote', url: check.origin };
}
