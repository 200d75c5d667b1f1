#!/usr/bin/env node
// `npm run start:browser`: build, then run the main-process services under Node and serve the
// softphone to Chromium on 127.0.0.1. Prints the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('\nThe build failed (see above). Fix it, then run `npm run start:browser` again.');
  process.exit(1);
}
const child = spawn(process.execPath, [join(root, 'out/main/browser-host.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
