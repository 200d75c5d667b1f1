import { z } from 'zod';

/**
 * The user's settings as main stores them and the renderer reads/edits them over IPC. Versioned:
 * src/main/settings/upgrades.ts carries every older shape forward one explicit step at a time.
 */
export const SETTINGS_VERSION = 3;

/** An Electron accelerator, e.g. "CommandOrControl+Alt+A" or "F8"; null switches the hotkey off. */
export const acceleratorSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^([A-Za-z]+\+)*[A-Za-z0-9]+$|^([A-Za-z]+\+)*(F\d{1,2}|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Escape|Enter|Plus|[`\-=[\];',./\\])$/, 'Not a keyboard shortcut');

export const hotkeyActions = ['answer', 'hangUp', 'mute', 'showWindow', 'nextTask', 'skipTask', 'completeTask'] as const;
/** The Manual Actions queue's hotkeys (the Tasks tab acts on them). */
export const taskHotkeyActions = ['nextTask', 'skipTask', 'completeTask'] as const;
export type TaskHotkeyAction = (typeof taskHotkeyActions)[number];
export type HotkeyAction = (typeof hotkeyActions)[number];

export const hotkeySettingsSchema = z.object({
  answer: acceleratorSchema.nullable(),
  hangUp: acceleratorSchema.nullable(),
  mute: acceleratorSchema.nullable(),
  showWindow: acceleratorSchema.nullable(),
  /** Manual Actions queue: open / start the next task, skip the one being worked (asks why), complete it. */
  nextTask: acceleratorSchema.nullable(),
  skipTask: acceleratorSchema.nullable(),
  completeTask: acceleratorSchema.nullable(),
  /**
   * During wrap-up, <modifier>+1 … <modifier>+0 pick dispositions from any program. A modifier is
   * required: a bare digit would steal typing from every other application.
   */
  dispositionModifier: z.enum(['CommandOrControl+Alt', 'CommandOrControl+Shift', 'Alt+Shift']).nullable(),
});
export type HotkeySettings = z.infer<typeof hotkeySettingsSchema>;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** A real cloud API; null runs the embedded cloud API and Twilio sandbox. */
  cloudUrl: z.string().url().max(2048).nullable(),
  hotkeys: hotkeySettingsSchema,
  audio: z.object({
    inputDeviceId: z.string().max(512).nullable(),
    outputDeviceId: z.string().max(512).nullable(),
    /** Where the ringtone plays; several allowed (e.g. headset and loudspeaker). Empty: the default output. */
    ringerDeviceIds: z.array(z.string().max(512)).max(8),
  }),
  ringtone: z.enum(['classic', 'soft', 'pulse']),
  startAtLogin: z.boolean(),
  notifications: z.object({
    incomingCalls: z.boolean(),
    internalAlerts: z.boolean(),
    sound: z.boolean(),
  }),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * A partial update from the Settings screen: each section replaces only the fields it names. The
 * cloud address is not in it: only main's confirmed flow changes it (`settings.changeCloud`).
 */
export const settingsPatchSchema = z
  .object({
    hotkeys: hotkeySettingsSchema.partial(),
    audio: settingsSchema.shape.audio.partial(),
    ringtone: settingsSchema.shape.ringtone,
    startAtLogin: z.boolean(),
    notifications: settingsSchema.shape.notifications.partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    cloudUrl: null,
    hotkeys: {
      answer: 'CommandOrControl+Shift+A',
      hangUp: 'CommandOrControl+Shift+H',
      mute: 'CommandOrControl+Shift+M',
      showWindow: 'CommandOrControl+Shift+P',
      // Function keys: a letter with these modifiers is a common shortcut in browsers and editors.
      nextTask: 'CommandOrControl+Shift+F7',
      skipTask: 'CommandOrControl+Shift+F8',
      completeTask: 'CommandOrControl+Shift+F9',
      dispositionModifier: 'CommandOrControl+Alt',
    },
    audio: { inputDeviceId: null, outputDeviceId: null, ringerDeviceIds: [] },
    ringtone: 'classic',
    startAtLogin: true,
    notifications: { incomingCalls: true, internalAlerts: true, sound: true },
  };
}

export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return {
    ...settings,
    ...(patch.ringtone !== undefined ? { ringtone: patch.ringtone } : {}),
    ...(patch.startAtLogin !== undefined ? { startAtLogin: patch.startAtLogin } : {}),
    hotkeys: { ...settings.hotkeys, ...patch.hotkeys },
    audio: { ...settings.audio, ...patch.audio },
    notifications: { ...settings.notifications, ...patch.notifications },
  };
}
