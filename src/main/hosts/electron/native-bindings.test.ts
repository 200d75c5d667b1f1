import { describe, expect, it } from 'vitest';
import { electronBindingPath } from './native-bindings';

describe('electronBindingPath', () => {
  it('uses the module’s own build under Node', () => {
    expect(electronBindingPath('better-sqlite3', '/app', {}, () => true)).toBeUndefined();
  });
  it('uses the Electron build under Electron when it was built', () => {
    expect(electronBindingPath('keytar', '/app', { electron: '45.4.1' }, () => true)).toBe(
      '/app/.native/electron-45.4.1/node_modules/keytar/build/Release/keytar.node',
    );
  });
  it('falls back to node_modules when no Electron build exists (packaged app)', () => {
    expect(electronBindingPath('better-sqlite3', '/app', { electron: '45.4.1' }, () => false)).toBeUndefined();
  });
});
