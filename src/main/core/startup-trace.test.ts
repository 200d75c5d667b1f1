import { afterEach, describe, expect, it, vi } from 'vitest';
import { startupTrace } from './startup-trace';

describe('startupTrace', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('prints the phase, the ms since the process started and the CPU ms used only when AESTHETIX_STARTUP_TRACE=1', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    startupTrace('quiet');
    expect(write).not.toHaveBeenCalled();
    vi.stubEnv('AESTHETIX_STARTUP_TRACE', '1');
    startupTrace('host serving');
    expect(String(write.mock.calls[0]![0])).toMatch(/^startup: host serving at \d+ ms, cpu \d+ ms\n$/);
  });
});
