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
  /** Writes the file and the last-good copy. */
  write(settings: Settings): void;
  /** The copy of the last settings read or written whole, if there is one (not validated). */
  readLastGood(): unknown;
  keepLastGood(settings: Settings): void;
  /** Moves an unreadable file aside so nothing is lost; returns where it went. */
  quarantine(): string | undefined;
}

/** Why the last load could not use the settings file as it was. */
export interface SettingsRecovery {
  reason: string;
  /** True when the last good copy was used (the cloud address with it); false: defaults. */
  fromLastGood: boolean;
}

/**
 * Loads, upgrades, validates and saves the settings. A corrupt or invalid file never stops the
 * phone: it is set aside, the last good copy (else defaults) is used, and the receptionist is told.
 */
export class SettingsService {
  private current: Settings = defaultSettings();
  /** Set when this start could not use the file as it was (main then keeps the last known cloud; see core). */
  recovery: SettingsRecovery | undefined;
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
    else this.file.keepLastGood(parsed.data);
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

  /** Main only (the confirmed cloud change, or keeping the last known cloud): the page cannot set the cloud address. */
  setCloudUrl(cloudUrl: string | null): Settings {
    const next = settingsSchema.safeParse({ ...this.current, cloudUrl });
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
    const lastGood = this.parseLastGood();
    const movedTo = this.file.quarantine();
    this.current = lastGood ?? defaultSettings();
    this.file.write(this.current);
    this.recovery = { reason, fromLastGood: lastGood !== undefined };
    const kept = movedTo ? ` The damaged file was kept at ${movedTo}.` : '';
    this.notices.post({
      id: 'settings-recovered',
      level: 'warning',
      message: lastGood
        ? `Your settings were restored from the last good copy because ${reason}.${kept}`
        : `Your settings were reset to defaults because ${reason}.${kept}`,
    });
    return this.current;
  }

  private parseLastGood(): Settings | undefined {
    try {
      const parsed = settingsSchema.safeParse(upgradeSettings(this.file.readLastGood()));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
