import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/**
 * Every module the page's entry reaches through static imports: what the page loads, parses and runs
 * before its bridge can open and the phone can register. Views reached only by import() are not in it.
 */
async function startPath(): Promise<Map<string, string | null>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/renderer/main.tsx'],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    splitting: true,
    outdir: 'out-never-written',
    loader: { '.css': 'empty', '.svg': 'empty', '.wav': 'empty' },
    define: { __SOFTPHONE_TEST_HOOKS__: 'false', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  const reachedFrom = new Map<string, string | null>([['src/renderer/main.tsx', null]]);
  const queue = ['src/renderer/main.tsx'];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || imported.external || reachedFrom.has(imported.path)) continue;
      reachedFrom.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  return reachedFrom;
}

describe("the page's start path (issue #21)", () => {
  it('loads no zod: the schemas and the library are for the views opened later', async () => {
    const reached = await startPath();
    const chain = (file: string): string => {
      const steps: string[] = [];
      for (let at: string | null | undefined = file; at; at = reached.get(at)) steps.unshift(at);
      return steps.join(' → ');
    };
    const zod = [...reached.keys()].filter((file) => file.includes('node_modules/zod/'));
    expect(zod.slice(0, 1).map(chain)).toEqual([]);
    // The check sees the page's real graph: the phone and its bridge are on it.
    expect(reached.has('src/renderer/bridge/socket-bridge.ts')).toBe(true);
    expect([...reached.keys()].some((file) => file.includes('node_modules/@twilio/voice-sdk/'))).toBe(true);
  });
});
