import type { CloudChangeResult } from '../../shared/ipc/contract-local-first';
import { checkCloudAddress } from '../cloud-client/cloud-address';
import type { ConfirmPort } from '../hosts/host-port';
import type { SettingsService } from './settings-service';

/**
 * The only way the cloud address changes: the page may ask, main checks the address (https, or
 * http to this computer), shows the new host in a dialog of its own and changes the setting only
 * when the receptionist confirms there. The change applies at the next start. The keychain holds
 * one session per cloud origin, so no refresh token is ever sent to the new cloud.
 */
export async function changeCloudAddress(
  deps: { settings: Pick<SettingsService, 'get' | 'setCloudUrl'>; confirm: ConfirmPort | undefined; running: string },
  requested: string | null,
): Promise<CloudChangeResult> {
  let origin: string | null = null;
  if (requested !== null && requested.trim() !== '') {
    const check = checkCloudAddress(requested);
    if (!check.ok) return { outcome: 'refused', message: check.reason };
    origin = check.origin;
  }
  if (origin === deps.settings.get().cloudUrl) return { outcome: 'unchanged', message: 'The phone already uses this cloud.' };
  if (!deps.confirm) {
    return {
      outcome: 'unavailable',
      message: 'This window cannot confirm a change of cloud. Start the app with AESTHETIX_CLOUD_URL set to the new address instead.',
    };
  }
  const name = origin ? new URL(origin).host : 'the demo practice (on this computer)';
  const confirmed = await deps.confirm({
    message: `Connect this phone to ${name}?`,
    detail:
      `It now uses ${deps.running}. After the next start it signs in to ${name} instead. ` +
      'Your sign-in here is kept for this cloud only and never sent to the new one; changes not yet sent stay with the cloud they were made for.',
    confirmLabel: origin ? `Connect to ${new URL(origin).host}` : 'Use the demo practice',
  });
  if (!confirmed) return { outcome: 'cancelled', message: 'The cloud address was not changed.' };
  deps.settings.setCloudUrl(origin);
  return { outcome: 'changed', message: `Restart the app to connect to ${name}.` };
}
