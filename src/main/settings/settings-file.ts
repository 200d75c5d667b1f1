import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/settings';
import type { SettingsFile } from './settings-service';

const NAME = 'settings';

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
  const path = join(dir, `${NAME}.json`);
  let store: { store: Settings } | undefined;
  const open = () => (store ??= new Store({ cwd: dir, name: NAME, configName: NAME, clearInvalidConfig: true }));

  return {
    read() {
      if (!existsSync(path)) return { kind: 'missing' };
      try {
        return { kind: 'ok', data: JSON.parse(readFileSync(path, 'utf8')) as unknown };
      } catch (error) {
        return { kind: 'corrupt', reason: error instanceof Error ? error.message.split('\n')[0]! : 'unreadable' };
      }
    },
    write(settings) {
      open().store = settings;
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
