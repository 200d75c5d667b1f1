import nodeModule from 'node:module';

/** The part of `node:module` this uses: present from Node 22.1 (Electron 45 runs Node 22), absent on Node 20. */
export interface CompileCacheApi {
  enableCompileCache?: (directory?: string) => { status: number; message?: string; directory?: string };
  constants?: { compileCacheStatus?: { ENABLED: number; ALREADY_ENABLED: number; FAILED: number; DISABLED: number } };
}

/**
 * Turns on Node's on-disk compile cache: V8 keeps the code of every module this process loads from
 * now on, so the next start does not parse and compile them again (issue #21: compiling was the
 * largest part of the host's own start). Kept in the app's user-data folder, not the shared temp
 * folder; a NODE_COMPILE_CACHE set by whoever runs the app wins. Worker threads inherit it through
 * NODE_COMPILE_CACHE. Never throws (a start goes on without it); on a Node without it, runs
 * `whenMissing`. Returns what happened, for the startup trace.
 */
export function enableCompileCache(
  directory: string,
  api: CompileCacheApi = nodeModule as unknown as CompileCacheApi,
  env: NodeJS.ProcessEnv = process.env,
  /** Run instead on a Node without it (the browser host on Node 20: code-cache.ts); says what it did. */
  whenMissing: () => string = () => 'not in this Node',
): string {
  if (typeof api.enableCompileCache !== 'function') return whenMissing();
  try {
    const result = api.enableCompileCache(env.NODE_COMPILE_CACHE ? undefined : directory);
    const status = api.constants?.compileCacheStatus;
    if (result.directory && (result.status === status?.ENABLED || result.status === status?.ALREADY_ENABLED)) {
      env.NODE_COMPILE_CACHE ??= result.directory;
      return `on, in ${result.directory}`;
    }
    if (result.status === status?.DISABLED) return 'off (NODE_DISABLE_COMPILE_CACHE)';
    return `off: ${result.message ?? 'not enabled'}`;
  } catch (error) {
    return `off: ${error instanceof Error ? error.message : String(error)}`;
  }
}
