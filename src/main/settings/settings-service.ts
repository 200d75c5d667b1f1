import {
  applySettingsPatch,
  defaultSettings,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../shared/settings';
import { describeZodError, IpcFailure } from '../../shared/ipc';
import type { NoticeBoard } from '../ipc/notice-board';
import { SettingsFromTheFutureError, upgradeSettings } from './upgrades';

/** Where settings live on disk (electron-store in the app; an in-memory fake in unit tests). */
export interface SettingsFile {
  read(): { kind: 'missing' } | { kind: 'ok'; data: unknown } | { kind: 'corrupt'; reason: string };
  write(settings: Settings): void;
  /** Moves an unreadable file aside so nothing is lost; returns where it went. */
  quarantine(): string | undefined;
}

/**
 * Loads, upgrades, validates and saves the settings. A corrupt or invalid file never stops the
 * phone: it is set aside, defaults are used, and the receptionist is told.
 */
export class SettingsService {
  private current: Settings = defaultSettings();
  private readonly listeners = new Set<(settings: Settings, previous: Settings) => void>();

  constructor(
    private readonly file: SettingsFile,
    private readonly notices: NoticeBoard,
  ) {}

  load(): Settings {
    const stored = this.file.read();
    if (stored.kind === 'missing') {
      this.current = defaultSettings();
      this.file.write(this.current);
      return this.current;
    }
    if (stored.kind === 'corrupt') return this.recover(`the settings file could not be read (${stored.reason})`);
    let upgraded: unknown;
    try {
      upgraded = upgradeSettings(stored.data);
    } catch (error) {
      if (error instanceof SettingsFromTheFutureError) return this.recover(error.message);
      throw error;
    }
    const parsed = settingsSchema.safeParse(upgraded);
    if (!parsed.success) return this.recover(`the settings file was invalid (${describeZodError(parsed.error)})`);
    this.current = parsed.data;
    // Persist the upgrade so the next start reads the current version directly.
    if (JSON.stringify(stored.data) !== JSON.stringify(parsed.data)) this.file.write(parsed.data);
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Settings {
    const next = settingsSchema.safeParse(applySettingsPatch(this.current, patch));
    if (!next.success) throw new IpcFailure('INVALID_SETTINGS', describeZodError(next.error));
    const previous = this.current;
    this.file.write(next.data);
    this.current = next.data;
    for (const listener of this.listeners) listener(next.data, previous);
    return next.data;
  }

  onChange(listener: (settings: Settings, previous: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private recover(reason: string): Settings {
    const movedTo = this.file.quarantine();
    this.current = defaultSettings();
    this.file.write(this.current);
    this.notices.post({
      id: 'settings-recovered',
      level: 'warning',
      message: `Your settings were reset to defaults because ${reason}.${movedTo ? ` The old file was kept at ${movedTo}.` : ''}`,
    });
    return this.current;
  }
}
