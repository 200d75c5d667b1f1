import type { Notice } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { HotkeyService } from '../os/hotkeys';
import type { LoginItemPort } from '../os/ports';
import type { SettingsService } from './settings-service';

/**
 * Puts the settings into effect now and on every change: the global hotkeys (a refused or conflicting
 * one becomes a notice), start at login, and a notice that a new cloud address applies next start.
 */
export function applySettings(deps: {
  settings: Pick<SettingsService, 'get' | 'onChange'>;
  hotkeys: Pick<HotkeyService, 'apply'>;
  loginItem: LoginItemPort;
  notices: { post(notice: Notice): void; dismiss(id: string): boolean };
}): () => void {
  const applyHotkeys = (next: Settings) => {
    for (const status of deps.hotkeys.apply(next.hotkeys)) {
      if (status.message) deps.notices.post({ id: `hotkey-${status.id}`, level: 'warning', message: status.message });
      else deps.notices.dismiss(`hotkey-${status.id}`);
    }
  };
  const applyLoginItem = (next: Settings) => {
    if (deps.loginItem.supported) deps.loginItem.set(next.startAtLogin);
  };
  applyHotkeys(deps.settings.get());
  applyLoginItem(deps.settings.get());
  return deps.settings.onChange((next, previous) => {
    if (JSON.stringify(next.hotkeys) !== JSON.stringify(previous.hotkeys)) applyHotkeys(next);
    if (next.startAtLogin !== previous.startAtLogin) applyLoginItem(next);
    if (next.cloudUrl !== previous.cloudUrl) {
      deps.notices.post({ id: 'cloud-url-changed', level: 'info', message: 'The new cloud address is used from the next start of the app.' });
    }
  });
}
