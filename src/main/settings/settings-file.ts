import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/settings';
import type { SettingsFile } from './settings-service';

const NAME = 'settings';

/** The settings file in `dir` (the user-data folder). */
export const settingsFilePath = (dir: string): string => join(dir, `${NAME}.json`);

/**
 * The store class that writes the file atomically: electron-store in the Electron app (wired in
 * src/main/hosts/electron/main.ts), its base `conf` under plain Node (browser host, tests). Same file format.
 */
export type JsonStoreClass = new (options: {
  cwd: string;
  name: string;
  configName: string;
  clearInvalidConfig: boolean;
}) => { store: Settings };

export function createSettingsFile(dir: string, Store: JsonStoreClass, now: () => Date = () => new Date()): SettingsFile {
  const path = settingsFilePath(dir);
  // The copy of the last file that was read or written whole: what a damaged file is rebuilt from.
  const lastGoodPath = join(dir, `${NAME}.last-good.json`);
  const readJson = (file: string): { kind: 'ok'; data: unknown } | { kind: 'corrupt'; reason: string } => {
    try {
      return { kind: 'ok', data: JSON.parse(readFileSync(file, 'utf8')) as unknown };
    } catch (error) {
      return { kind: 'corrupt', reason: error instanceof Error ? error.message.split('\n')[0]! : 'unreadable' };
    }
  };
  let store: { store: Settings } | undefined;
  const open = () => (store ??= new Store({ cwd: dir, name: NAME, configName: NAME, clearInvalidConfig: true }));
  const keepLastGood = (settings: Settings) => {
    // Written beside, then renamed over: the copy is always a whole file.
    const temp = `${lastGoodPath}.tmp`;
    writeFileSync(temp, JSON.stringify(settings, null, '\t'));
    renameSync(temp, lastGoodPath);
  };

  return {
    read() {
      if (!existsSync(path)) return { kind: 'missing' };
      return readJson(path);
    },
    readLastGood() {
      if (!existsSync(lastGoodPath)) return undefined;
      const copy = readJson(lastGoodPath);
      return copy.kind === 'ok' ? copy.data : undefined;
    },
    keepLastGood,
    write(settings) {
      open().store = settings;
      keepLastGood(settings);
    },
    quarantine() {
      if (!existsSync(path)) return undefined;
      const target = join(dir, `${NAME}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}.json`);
      renameSync(path, target);
      store = undefined;
      return target;
    },
  };
}
