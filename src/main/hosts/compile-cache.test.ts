import { describe, expect, it, vi } from 'vitest';
import { enableCompileCache, type CompileCacheApi } from './compile-cache';

const compileCacheStatus = { ENABLED: 1, ALREADY_ENABLED: 2, FAILED: 0, DISABLED: 3 };

describe('enableCompileCache', () => {
  it('keeps the cache in the folder given, and hands it to worker threads', () => {
    const enable = vi.fn((directory?: string) => ({ status: compileCacheStatus.ENABLED, directory }));
    const env: NodeJS.ProcessEnv = {};
    expect(enableCompileCache('/data/compile-cache', { enableCompileCache: enable, constants: { compileCacheStatus } }, env)).toBe('on, in /data/compile-cache');
    expect(enable).toHaveBeenCalledWith('/data/compile-cache');
    expect(env.NODE_COMPILE_CACHE).toBe('/data/compile-cache');
  });

  it('leaves the folder to NODE_COMPILE_CACHE when whoever runs the app set it', () => {
    const enable = vi.fn(() => ({ status: compileCacheStatus.ENABLED, directory: '/elsewhere' }));
    const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: '/elsewhere' };
    expect(enableCompileCache('/data/compile-cache', { enableCompileCache: enable, constants: { compileCacheStatus } }, env)).toBe('on, in /elsewhere');
    expect(enable).toHaveBeenCalledWith(undefined);
  });

  it('does nothing on a Node without it (20), and never throws', () => {
    expect(enableCompileCache('/data/compile-cache', {}, {})).toBe('not in this Node');
    const failing: CompileCacheApi = { enableCompileCache: () => ({ status: compileCacheStatus.FAILED, message: 'EACCES: permission denied' }), constants: { compileCacheStatus } };
    expect(enableCompileCache('/read-only', failing, {})).toBe('off: EACCES: permission denied');
    const throwing: CompileCacheApi = {
      enableCompileCache: () => {
        throw new Error('boom');
      },
    };
    expect(enableCompileCache('/x', throwing, {})).toBe('off: boom');
    expect(enableCompileCache('/x', { enableCompileCache: () => ({ status: compileCacheStatus.DISABLED }), constants: { compileCacheStatus } }, {})).toBe('off (NODE_DISABLE_COMPILE_CACHE)');
  });

  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('is a no-op on this Node 20, whose node:module lacks it', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(enableCompileCache('/nonexistent/compile-cache', undefined, env)).toBe('not in this Node');
    expect(env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it('runs what the host gives for a Node without it, and only then', () => {
    const instead = vi.fn(() => 'V8 code cache for the host’s own files');
    expect(enableCompileCache('/data/compile-cache', {}, {}, instead)).toBe('V8 code cache for the host’s own files');
    expect(instead).toHaveBeenCalledOnce();
    const enable = vi.fn((directory?: string) => ({ status: compileCacheStatus.ENABLED, directory }));
    expect(enableCompileCache('/data/compile-cache', { enableCompileCache: enable, constants: { compileCacheStatus } }, {}, instead)).toBe('on, in /data/compile-cache');
    expect(instead).toHaveBeenCalledOnce();
  });
});
