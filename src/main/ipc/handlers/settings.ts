import { IpcFailure } from '../../../shared/ipc';
import { findHotkeyConflicts, type HotkeyService } from '../../os/hotkeys';
import type { HostPort } from '../../hosts/host-port';
import { changeCloudAddress } from '../../settings/cloud-change';
import type { SettingsService } from '../../settings/settings-service';
import type { NamespaceHandlers } from '../router';

export function settingsHandlers(deps: {
  settings: SettingsService;
  hotkeys: HotkeyService;
  host: HostPort;
  /** The cloud this run uses, in words (shown in the confirmation). */
  runningCloud: () => string;
}): NamespaceHandlers<'settings'> {
  const settingsView = () => ({ settings: deps.settings.get(), hotkeys: deps.hotkeys.status });
  return {
    'settings.get': () => settingsView(),
    'settings.update': (patch) => {
      if (patch.hotkeys) {
        const conflicts = findHotkeyConflicts({ ...deps.settings.get().hotkeys, ...patch.hotkeys });
        if (conflicts.length > 0) throw new IpcFailure('HOTKEY_CONFLICT', conflicts.join(' '));
      }
      deps.settings.update(patch);
      return settingsView();
    },
    'settings.changeCloud': ({ url }) => changeCloudAddress({ settings: deps.settings, confirm: deps.host.confirm, running: deps.runningCloud() }, url),
  };
}
