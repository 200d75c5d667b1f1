import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';
import { crc32 } from 'node:zlib';

/** What Node's CommonJS loader gives a module; its typings omit these. */
interface LoadingModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
interface ModuleInternals {
  prototype: LoadingModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoadingModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: LoadingModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/** A cache file: the CRC-32 of the source it is for, the CRC-32 of the code, then V8's code. */
const HEADER_BYTES = 8;

/** How many of this process's own modules were compiled from the cache (for the startup trace and tests). */
export interface CodeCacheCounts {
  modules: number;
  fromCache: number;
  written: number;
}

export interface CodeCache {
  readonly counts: CodeCacheCounts;
  /**
   * Writes the code of the files compiled from source since the last call: call it once the start
   * has run, and before V8's flags change (start-tiering.ts ends its deferral when the phone is ready).
   */
  save(): void;
  /** Puts Node's own compiling back (tests). */
  uninstall(): void;
}

/**
 * V8's code cache for the built app's own CommonJS files, on a Node that keeps none itself (issue
 * #21). Node 22.1+ and Electron have `module.enableCompileCache` (compile-cache.ts); the browser
 * host runs on Node 20 too, where compiling its 2.7 MB of chunks took ~130 ms of the main thread at
 * every start, and the functions that the start runs were compiled again each time as well.
 *
 * Each `.js` file under `codeDir` is compiled as Node would (the same wrapper, file name and
 * dynamic `import()`), with the code V8 kept for it the last time, if that is still for this exact
 * source (a CRC-32 of the text, beside V8's own check of its version, flags and the source's length)
 * and arrived whole.
 * A file compiled without the cache has its code written when the host says the start has run
 * (`save`): the cache then holds the functions the start ran too, not only the file's top level
 * (which is all that a cache made at compile time, as the `v8-compile-cache` package makes it,
 * would hold: compiling them had moved into the start). It is written in the same phase of the
 * start as it is read, so V8's flags (start-tiering.ts) match.
 *
 * Node 20 loses the callback a dynamic `import()` needs in code taken from the cache (the call
 * throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, with `vm.Script` and `compileFunction` alike), so
 * the build leaves no `import()` in main (electron.vite.config.ts; production-build.test.ts checks).
 *
 * Anything that goes wrong (an unreadable or damaged file, a full disk) costs only the cache: the
 * module is compiled from its source. Files outside `codeDir` (node_modules) are Node's own affair.
 */
export function installCodeCache(cacheDir: string, codeDir: string, Module = nodeModule as unknown as ModuleInternals): CodeCache {
  const counts: CodeCacheCounts = { modules: 0, fromCache: 0, written: 0 };
  const own = codeDir.endsWith(sep) ? codeDir : codeDir + sep;
  const original = Module.prototype._compile;
  const unsaved: { script: Script; file: string; sourceCrc: number }[] = [];

  Module.prototype._compile = function compileFromCache(this: LoadingModule, content: string, filename: string): unknown {
    if (!filename.startsWith(own) || !filename.endsWith('.js')) return original.call(this, content, filename);
    counts.modules++;
    const file = join(cacheDir, `${createHash('sha256').update(filename).digest('hex').slice(0, 32)}.bin`);
    const sourceCrc = crc32(content);
    const cachedData = readCache(file, sourceCrc);
    const script = new Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const fromCache = cachedData !== undefined && !script.cachedDataRejected;
    if (fromCache) counts.fromCache++;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    if (!fromCache) unsaved.push({ script, file, sourceCrc });
    return wrapper.call(this.exports, this.exports, requireFor(Module, this), this, filename, dirname(filename));
  };

  return {
    counts,
    save() {
      const batch = unsaved.splice(0);
      if (batch.length === 0) return;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        for (const { script, file, sourceCrc } of batch) {
          const code = script.createCachedData();
          const header = Buffer.alloc(HEADER_BYTES);
          header.writeUInt32LE(sourceCrc, 0);
          header.writeUInt32LE(crc32(code), 4);
          // Whole or not at all: a start that reads it while it is written sees the old file or none.
          const partial = `${file}.${process.pid}.tmp`;
          writeFileSync(partial, Buffer.concat([header, code]), { mode: 0o600 });
          renameSync(partial, file);
          counts.written++;
        }
      } catch {
        // No cache this time (a full disk, a folder that cannot be made): the next start compiles from source.
      }
    },
    uninstall: () => {
      Module.prototype._compile = original;
    },
  };
}

/**
 * The code kept for the source with this CRC, if it is whole. Its own CRC is checked because V8 does
 * not refuse every damaged cache (Node 20's `cachedDataRejected` stays false for bytes that are not
 * a cache at all): one written in part would otherwise be kept, and never rewritten.
 */
function readCache(file: string, sourceCrc: number): Buffer | undefined {
  let kept: Buffer;
  try {
    kept = readFileSync(file);
  } catch {
    return undefined;
  }
  if (kept.length <= HEADER_BYTES || kept.readUInt32LE(0) !== sourceCrc) return undefined;
  const code = kept.subarray(HEADER_BYTES);
  return kept.readUInt32LE(4) === crc32(code) ? code : undefined;
}

/** The `require` Node gives a CommonJS module (its internal makeRequireFunction is not exported). */
function requireFor(Module: ModuleInternals, mod: LoadingModule): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) => Module._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => Module._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions as NodeJS.Require['extensions'];
  require.cache = Module._cache as NodeJS.Require['cache'];
  return require;
}
