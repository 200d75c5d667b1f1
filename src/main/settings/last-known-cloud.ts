import type { Notice } from '../../shared/ipc';
import type { SettingsService } from './settings-service';

/**
 * The cloud address to start with. When the settings file could not be read and no good copy of
 * it was left, the cloud the last user signed in to (recorded in the local cache) is kept and
 * written back, instead of silently falling back to the demo practice: that user's waiting
 * changes belong to that cloud.
 */
export function cloudUrlToUse(deps: {
  settings: Pick<SettingsService, 'get' | 'setCloudUrl' | 'recovery'>;
  /** 'embedded' or the origin of the cloud of the last signed-in user, from the cache. */
  lastSignedInCloud: string | null | undefined;
  notify: (notice: Notice) => void;
}): string | null {
  const configured = deps.settings.get().cloudUrl;
  const last = deps.lastSignedInCloud;
  if (configured || !deps.settings.recovery || deps.settings.recovery.fromLastGood) return configured;
  if (!last || !/^https?:\/\//.test(last)) return configured;
  deps.settings.setCloudUrl(last);
  deps.notify({
    id: 'settings-cloud-kept',
    level: 'warning',
    message: `The settings file was damaged, so the app keeps using the cloud you last signed in to (${new URL(last).host}). Check your other settings.`,
  });
  return last;
}
