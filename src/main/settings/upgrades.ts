import { SETTINGS_VERSION } from '../../shared/settings';

/**
 * Explicit, one-step upgrades of the stored settings. Each takes the previous version's shape as it
 * was written to disk (unknown: old files may be partial) and returns the next version's.
 * Never edit a step once released; add the next one.
 */
type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** v0 (0.0.x previews): flat keys `cloudApiUrl`, `answerHotkey`, `hangupHotkey`, `ringerDeviceId`. */
function upgradeV0toV1(old: Raw): Raw {
  return {
    version: 1,
    cloudUrl: typeof old.cloudApiUrl === 'string' && old.cloudApiUrl !== '' ? old.cloudApiUrl : null,
    hotkeys: {
      answer: old.answerHotkey ?? 'CommandOrControl+Shift+A',
      hangUp: old.hangupHotkey ?? 'CommandOrControl+Shift+H',
      mute: 'CommandOrControl+Shift+M',
      showWindow: 'CommandOrControl+Shift+P',
    },
    audio: {
      inputDeviceId: null,
      outputDeviceId: null,
      ringerDeviceId: typeof old.ringerDeviceId === 'string' ? old.ringerDeviceId : null,
    },
    ringtone: 'classic',
    startAtLogin: old.startAtLogin ?? true,
    notifications: { incomingCalls: true, internalAlerts: true },
  };
}

/** v1 → v2: several ringers instead of one; disposition hotkeys; a notification sound switch. */
function upgradeV1toV2(old: Raw): Raw {
  const audio = isObject(old.audio) ? old.audio : {};
  const hotkeys = isObject(old.hotkeys) ? old.hotkeys : {};
  const notifications = isObject(old.notifications) ? old.notifications : {};
  const ringer = audio.ringerDeviceId;
  return {
    ...old,
    version: 2,
    hotkeys: { ...hotkeys, dispositionModifier: 'CommandOrControl+Alt' },
    audio: {
      inputDeviceId: audio.inputDeviceId ?? null,
      outputDeviceId: audio.outputDeviceId ?? null,
      ringerDeviceIds: typeof ringer === 'string' && ringer !== '' ? [ringer] : [],
    },
    notifications: { ...notifications, sound: true },
  };
}

/** v2 → v3: hotkeys for the Manual Actions queue (next task, skip, complete). */
function upgradeV2toV3(old: Raw): Raw {
  const hotkeys = isObject(old.hotkeys) ? old.hotkeys : {};
  return {
    ...old,
    version: 3,
    hotkeys: { nextTask: 'CommandOrControl+Shift+F7', skipTask: 'CommandOrControl+Shift+F8', completeTask: 'CommandOrControl+Shift+F9', ...hotkeys },
  };
}

const STEPS: Record<number, (old: Raw) => Raw> = { 0: upgradeV0toV1, 1: upgradeV1toV2, 2: upgradeV2toV3 };

export class SettingsFromTheFutureError extends Error {}

/** Runs every step from the stored version up to the current one. */
export function upgradeSettings(stored: unknown): unknown {
  if (!isObject(stored)) return stored;
  let current: Raw = stored;
  let version = typeof current.version === 'number' ? current.version : 0;
  if (version > SETTINGS_VERSION) {
    throw new SettingsFromTheFutureError(`These settings were written by a newer version (v${version}).`);
  }
  while (version < SETTINGS_VERSION) {
    const step = STEPS[version];
    if (!step) return current;
    current = step(current);
    version += 1;
  }
  return current;
}
