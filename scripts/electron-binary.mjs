// Whether the Electron binary is on this machine, without triggering Electron's lazy download.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinaryStatus(root) {
  const dir = join(root, 'node_modules/electron');
  if (!existsSync(dir)) return { available: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { available: false, reason: 'the Electron binary has not been downloaded' };
  const executable = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return { available: false, reason: 'the Electron binary has not been downloaded' };
  return { available: true, executable };
}
