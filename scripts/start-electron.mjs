#!/usr/bin/env node
// `npm start`: build, make sure the Electron binary and Electron builds of the native modules are
// here, then launch the app. Where Electron cannot be obtained, say so plainly and name the
// browser host instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryStatus } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(lines) {
  console.error(['', ...lines, ''].join('\n'));
  process.exit(1);
}

const build = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail(['The build failed (see above). Fix it, then run `npm start` again.']);

let electron = electronBinaryStatus(root);
if (!electron.available) {
  console.log('Fetching the Electron binary (first run only)…');
  const download = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  electron = electronBinaryStatus(root);
  if (!electron.available) {
    const reason = `${download.stderr ?? ''}${download.stdout ?? ''}`.split('\n').find((line) => /error|ENOTFOUND|ECONN|EAI_AGAIN|timed out/i.test(line));
    fail([
      'Aesthetix Softphone needs the Electron binary, and it could not be downloaded on this machine.',
      reason ? `  (${reason.trim().slice(0, 200)})` : '  (no network access to Electron’s download server)',
      '',
      'Run the same softphone in Chromium instead:',
      '  npm run start:browser',
    ]);
  }
}

// Native modules built for Electron's ABI live beside the Node builds, so npm test keeps working.
spawnSync(process.execPath, [join(root, 'scripts/native-electron.mjs')], { cwd: root, stdio: 'inherit' });

const child = spawn(electron.executable, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
