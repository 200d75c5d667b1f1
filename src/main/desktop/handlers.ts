import { IpcFailure } from '../../shared/ipc';
import type { VoiceConfig } from '../../shared/ipc';
import { CloudError } from '../cloud-client/cloud-client';
import type { IpcHandlers } from '../ipc/router';
import { findHotkeyConflicts, type HotkeyService } from '../os/hotkeys';
import type { SessionService } from '../session/session-service';
import type { VoiceTokenService } from '../session/voice-token-service';
import type { SettingsService } from '../settings/settings-service';
import type { SyncEngine } from '../sync/sync-engine';
import type { EmbeddedStack } from './embedded';
import type { PhoneStateHub } from './phone-state-hub';

type DesktopChannels =
  | 'session.getState'
  | 'session.signIn'
  | 'session.signOut'
  | 'sync.getStatus'
  | 'sync.now'
  | 'settings.get'
  | 'settings.update'
  | 'voice.getConfig'
  | 'voice.getToken'
  | 'phone.reportState'
  | 'demo.simulateCall';

export interface DesktopHandlerDeps {
  session: SessionService;
  sync: SyncEngine;
  settings: SettingsService;
  hotkeys: HotkeyService;
  voiceTokens: VoiceTokenService;
  voiceConfig: () => VoiceConfig;
  phoneHub: PhoneStateHub;
  embedded: EmbeddedStack | undefined;
}

/** Cloud errors become bridge errors with the cloud's stable code and a message a person can act on. */
async function viaCloud<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof CloudError) throw new IpcFailure(error.code, error.message);
    throw error;
  }
}

export function createDesktopHandlers(deps: DesktopHandlerDeps): Pick<IpcHandlers, DesktopChannels> {
  const settingsView = () => ({ settings: deps.settings.get(), hotkeys: deps.hotkeys.status });
  return {
    'session.getState': () => deps.session.state,
    'session.signIn': async ({ email, password }) => {
      await viaCloud(() => deps.session.signIn(email, password));
      return deps.session.state;
    },
    'session.signOut': async () => {
      // Give the outbox one chance to drain so a last disposition is not lost with the session.
      await deps.sync.syncNow().catch(() => undefined);
      await deps.session.signOut();
      return deps.session.state;
    },
    'sync.getStatus': () => deps.sync.status,
    'sync.now': async () => {
      await deps.sync.syncNow();
      return deps.sync.status;
    },
    'settings.get': () => settingsView(),
    'settings.update': (patch) => {
      if (patch.hotkeys) {
        const conflicts = findHotkeyConflicts({ ...deps.settings.get().hotkeys, ...patch.hotkeys });
        if (conflicts.length > 0) throw new IpcFailure('HOTKEY_CONFLICT', conflicts.join(' '));
      }
      deps.settings.update(patch);
      return settingsView();
    },
    'voice.getConfig': () => deps.voiceConfig(),
    'voice.getToken': async () => {
      const current = deps.voiceTokens.token;
      if (current) return current;
      if (deps.session.state.status !== 'signed-in') return null;
      return viaCloud(() => deps.voiceTokens.refreshNow());
    },
    'phone.reportState': (report) => {
      deps.phoneHub.report(report);
      return { accepted: true };
    },
    'demo.simulateCall': async (input) => {
      if (!deps.embedded) throw new IpcFailure('NOT_EMBEDDED', 'Simulated callers exist only in the demo practice (no cloud URL configured).');
      return deps.embedded.simulateInboundCall({ ...(input?.from ? { from: input.from } : {}) });
    },
  };
}
