#!/usr/bin/env node
// `npm run start:browser`: build, then run the main-process services under Node and serve the
// softphone to Chromium on 127.0.0.1. The URL to open carries this run's bridge secret: the host
// writes it to a file only you can read and prints it only when its output is a terminal (stdio is
// inherited, so `npm run start:browser > log` keeps the secret out of the log).
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
