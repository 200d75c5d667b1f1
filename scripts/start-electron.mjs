#!/usr/bin/env node
// `npm start`: build, make sure the Electron binary and Electron builds of the native modules are
// here, then launch the app. Where Electron cannot be obtained, the same app opens in a Chromium app
// window (start-chromium.mjs), saying why in one line; with no browser either, it says where the URL is.
// AESTHETIX_NO_BUILD=1 skips the build (out/ is current).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryStatus } from './electron-binary.mjs';
import { launchInChromium } from './start-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

if (process.env.AESTHETIX_NO_BUILD !== '1') {
  const build = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail(['The build failed (see above). Fix it, then run `npm start` again.']);
}

/** The Electron binary, fetched on first use; else why it is not here. */
function obtainElectron() {
  const status = electronBinaryStatus(root);
  if (status.available || !existsSync(join(root, 'node_modules/electron/install.js'))) return status;
  console.log('Fetching the Electron binary (first run only)…');
  const download = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  const after = electronBinaryStatus(root);
  if (after.available) return after;
  const detail = `${download.stderr ?? ''}${download.stdout ?? ''}`.split('\n').find((line) => /error|ENOTFOUND|ECONN|EAI_AGAIN|timed out/i.test(line));
  return { available: false, reason: `its binary could not be downloaded${detail ? `: ${detail.trim().slice(0, 120)}` : ''}` };
}

const electron = obtainElectron();
if (!electron.available) {
  launchInChromium({ root, reason: electron.reason });
} else {
  // Native modules built for Electron's ABI live beside the Node builds, so npm test keeps working.
  spawnSync(process.execPath, [join(root, 'scripts/native-electron.mjs')], { cwd: root, stdio: 'inherit' });
  const child = spawn(electron.executable, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
