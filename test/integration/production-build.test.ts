import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TEST_CHANNEL = /["'`]test\.[A-Za-z]+["'`]/g;
/** What only the embedded cloud + sandbox need: a build pointed at a real cloud must not load them. */
const EMBEDDED_ONLY = ['fastify', '@fastify/websocket', '@electric-sql/pglite', 'pg', 'twilio', 'werift', 'smtp-server', 'nodemailer'];

/** Builds main and preload (not the renderer: slow, and not what is checked) into a fresh folder. */
async function build(mode: 'production' | 'test'): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), `softphone-build-${mode}-`));
  await run(join(repo, 'node_modules/.bin/electron-vite'), ['build', '--mode', mode, '--logLevel', 'error'], {
    cwd: repo,
    env: { ...process.env, AESTHETIX_BUILD_OUT: out, AESTHETIX_BUILD_SKIP_RENDERER: '1' },
    maxBuffer: 16 << 20,
  });
  return out;
}

const bundleFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundleFiles(join(dir, e.name)) : /\.c?js$/.test(e.name) ? [join(dir, e.name)] : []));

/**
 * The packages a bundle loads when it starts: its top-level `require`s (the main process is built as
 * CommonJS, which puts them at the top of each file), following its own chunks (not the chunks it
 * loads later by import(), which the build turns into a `require` inside a function).
 */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^(?:const [\w$]+ = )?require\(["']([^"']+)["']\);$/gm)) {
    const spec = match[1]!;
    if (spec.startsWith('.')) for (const p of staticPackages(resolve(dirname(file), spec), seen)) packages.add(p);
    else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return packages;
}

/**
 * What an entry loads when it starts: its static imports, and those of the chunks it loads itself by
 * import() (the browser host's entry opens the embedded database early, then imports the host's
 * main module that way). Further import()s inside those chunks are not followed.
 */
function startupPackages(entry: string): Set<string> {
  const packages = staticPackages(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/Promise\.resolve\(\)\.then\(\(\) => require\(["'](\.[^"']+)["']\)\)/g)) {
    for (const p of staticPackages(resolve(dirname(entry), match[1]!))) packages.add(p);
  }
  return packages;
}

/** Where a built file calls import() (not text that reads so in a string or a comment). */
function dynamicImports(file: string): number[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) lines.push(source.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

let production: string;
let testBuild: string;
beforeAll(async () => {
  [production, testBuild] = [await build('production'), await build('test')];
}, 900_000);
afterAll(() => {
  for (const dir of [production, testBuild]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the production build', () => {
  it('has no test.* channel in the preload or in main (a test build has them)', () => {
    expect(readFileSync(join(testBuild, 'preload/index.cjs'), 'utf8').match(TEST_CHANNEL)).not.toBeNull();
    for (const file of bundleFiles(production)) {
      expect({ file, channels: readFileSync(file, 'utf8').match(TEST_CHANNEL) ?? [] }).toEqual({ file, channels: [] });
    }
  });

  it('calls no import() in main: Node 20 loses what it needs in code from V8’s code cache (hosts/code-cache.ts)', () => {
    const files = bundleFiles(join(production, 'main'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect({ file, imports: dynamicImports(file) }).toEqual({ file, imports: [] });
    expect(dynamicImports(join(repo, 'src/main/hosts/browser/entry.ts'))).toHaveLength(1); // the check does see one
  });

  it('starts without loading the embedded cloud and sandbox: they are a chunk reached only by import()', () => {
    for (const entry of ['main/index.js', 'main/browser-host.js']) {
      const loaded = startupPackages(join(production, entry));
      expect(loaded.has('better-sqlite3')).toBe(true); // the walk follows the shared chunks
      expect(EMBEDDED_ONLY.filter((p) => loaded.has(p))).toEqual([]);
    }
    const embeddedChunk = bundleFiles(join(production, 'main')).find((file) => staticPackages(file).has('fastify'));
    expect(embeddedChunk && existsSync(embeddedChunk)).toBe(true);
  });
});
