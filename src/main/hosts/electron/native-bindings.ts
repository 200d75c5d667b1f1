import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 and keytar are compiled twice: for Node (node_modules, used by tests and the browser
 * host) and for Electron's ABI (.native/electron-<version>/, built by scripts/native-electron.mjs).
 * This picks the right binary for the runtime we are in.
 */
export type NativeModule = 'better-sqlite3' | 'keytar';

const BINARY: Record<NativeModule, string> = {
  'better-sqlite3': 'build/Release/better_sqlite3.node',
  keytar: 'build/Release/keytar.node',
};

export interface RuntimeVersions {
  electron?: string;
}

/**
 * The path of the Electron build of a module, or undefined to use the module's own (Node) build:
 * under Node, and in packaged apps, where electron-builder already rebuilt node_modules for Electron.
 */
export function electronBindingPath(
  module: NativeModule,
  appRoot: string,
  versions: RuntimeVersions,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (!versions.electron) return undefined;
  const path = join(appRoot, '.native', `electron-${versions.electron}`, 'node_modules', module, BINARY[module]);
  return exists(path) ? path : undefined;
}
