#!/usr/bin/env node
// Builds better-sqlite3 and keytar for Electron's ABI into .native/electron-<version>/, leaving the
// Node builds in node_modules untouched: tests (Node) and the app (Electron) work from one checkout
// in either order. The main process picks the Electron build at run time (src/main/hosts/electron/native-bindings.ts).
// Where Electron's headers cannot be fetched, it skips with a clear message.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// keytar is optional (it builds only where libsecret's headers are): built when it is installed.
const MODULES = ['better-sqlite3', 'keytar'].filter((name) => existsSync(join(root, 'node_modules', name, 'package.json')));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const target = join(root, '.native', `electron-${electronVersion}`);
const stamp = join(target, 'built.json');

const built = MODULES.every((name) => existsSync(join(target, 'node_modules', name, 'build/Release')));
if (built && existsSync(stamp)) process.exit(0);

mkdirSync(join(target, 'node_modules'), { recursive: true });
writeFileSync(join(target, 'package.json'), JSON.stringify({ name: 'softphone-native-electron', private: true, dependencies: Object.fromEntries(MODULES.map((m) => [m, '*'])) }));
for (const name of MODULES) {
  cpSync(join(root, 'node_modules', name), join(target, 'node_modules', name), {
    recursive: true,
    filter: (src) => !src.includes(`${name}/build`),
  });
}

try {
  const { rebuild } = await import('@electron/rebuild');
  // The machine's npmrc may point node-gyp at Node's own headers; Electron needs its own.
  delete process.env.npm_config_nodedir;
  await rebuild({ buildPath: target, electronVersion, onlyModules: MODULES, force: true, mode: 'sequential' });
  writeFileSync(stamp, JSON.stringify({ electronVersion, modules: MODULES, at: new Date().toISOString() }));
  console.log(`Built ${MODULES.join(' and ')} for Electron ${electronVersion}.`);
} catch (error) {
  console.warn(
    [
      `Skipped building native modules for Electron ${electronVersion}: ${String(error?.message ?? error).split('\n')[0]}`,
      'Electron’s headers could not be fetched on this machine. The app will run, but the local cache and',
      'keychain need these builds; `npm run start:browser` and `npm test` are unaffected.',
    ].join('\n'),
  );
}
