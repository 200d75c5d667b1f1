import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The `electronFuses:` block of build/electron-builder.yml as name → value. */
function fuses(): Record<string, string> {
  const lines = read('build/electron-builder.yml').split('\n');
  const start = lines.findIndex((line) => line === 'electronFuses:');
  const block: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}(\w+): (\S+)/.exec(line);
    if (!match) break;
    block[match[1]!] = match[2]!;
  }
  return block;
}

describe('packaging', () => {
  it('sets every Electron fuse to its safe value (no run-as-node, no NODE_OPTIONS or --inspect, asar integrity, encrypted cookies)', () => {
    expect(fuses()).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      loadBrowserProcessSpecificV8Snapshot: 'false',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('pins Electron exactly, at 45.5.0 or a later 45.x, and installs that version', () => {
    const pinned = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    expect(pinned).toMatch(/^45\.\d+\.\d+$/);
    const [, minor, patch] = pinned.split('.').map(Number) as [number, number, number];
    expect(minor * 1000 + patch).toBeGreaterThanOrEqual(5 * 1000 + 0);
    expect((JSON.parse(read('node_modules/electron/package.json')) as { version: string }).version).toBe(pinned);
  });
});
