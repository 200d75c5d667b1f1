import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('packaging', () => {
  it('sets the Electron fuses that close run-as-node and code-injection paths', () => {
    const config = readFileSync(new URL('../../build/electron-builder.yml', import.meta.url), 'utf8');
    for (const line of [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'grantFileProtocolExtraPrivileges: false',
    ]) {
      expect(config).toContain(line);
    }
  });
});
