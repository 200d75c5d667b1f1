import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { checkoutSchemaTemplateFile, makeSchemaTemplate } from './src/cloud/db/pglite-schema-template';
import { cachedPgliteTemplate, checkoutPgliteTemplateFile } from './src/cloud/db/pglite-template';

const root = dirname(fileURLToPath(import.meta.url));

// zod ships /*@__PURE__*/ comments in places Rollup cannot use; the warning is noise, not a problem.
const onwarn = (warning: { code?: string }, warn: (w: never) => void) => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning as never);
};

/**
 * The Twilio SDK's sounds are shipped, never fetched from Twilio's CDN: resources/sounds is served
 * to the renderer at /sounds/ (copied into the build; served from source by the dev server).
 */
const localSounds = (out: string) => ({
  name: 'softphone-local-sounds',
  closeBundle() {
    cpSync(resolve(root, 'resources/sounds'), resolve(out, 'renderer/sounds'), { recursive: true });
  },
});

/**
 * The embedded default's first start: its new PGlite database starts from a data folder made once
 * per PGlite version and set of migrations (kept in node_modules/.cache, shipped as
 * out/main/pglite-template.tgz): PostgreSQL's empty catalogue (no initdb in the app, about 3 s of CPU
 * on a quiet machine, src/cloud/db/pglite-template.ts) with this build's schema applied (no
 * migrations either, src/cloud/db/pglite-schema-template.ts).
 */
const pgliteTemplate = (out: string) => ({
  name: 'embedded-pglite-template',
  async closeBundle() {
    const empty = await cachedPgliteTemplate(checkoutPgliteTemplateFile(root));
    const schema = checkoutSchemaTemplateFile(root);
    await cachedPgliteTemplate(schema, () => makeSchemaTemplate(empty));
    mkdirSync(resolve(out, 'main'), { recursive: true });
    copyFileSync(schema, resolve(out, 'main/pglite-template.tgz'));
  },
});

/**
 * The main process is built as CommonJS, not ES modules (issue #21): Node 20 keeps no compiled code
 * for ES modules between starts, and compiling the host's 2.7 MB of chunks was ~130 ms of its main
 * thread at every start. CommonJS chunks are compiled from V8's code cache after the first start
 * (compile-cache.ts; Node 22.1+ and Electron do the same for both kinds). The package is
 * `"type": "module"`, so out/main gets a package.json of its own saying its `.js` files are CommonJS.
 */
const commonJsScope = () => ({
  name: 'main-commonjs-scope',
  generateBundle(this: { emitFile: (file: { type: 'asset'; fileName: string; source: string }) => string }) {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: `${JSON.stringify({ type: 'commonjs' })}\n` });
  },
});

/**
 * `electron-vite build` makes the production bundles: the IPC contract's test.* channels (the E2E
 * suite's hooks) are compiled out. `--mode test` (npm run build:e2e) keeps them for the E2E suite.
 * AESTHETIX_BUILD_OUT builds into another folder and AESTHETIX_BUILD_SKIP_RENDERER=1 skips the
 * renderer: test/integration/production-build.test.ts uses both to inspect a production build.
 */
export default defineConfig(({ mode }) => {
  const out = resolve(root, process.env.AESTHETIX_BUILD_OUT ?? 'out');
  const define = { __SOFTPHONE_TEST_HOOKS__: JSON.stringify(mode === 'test') };
  const renderer = {
    root: resolve(root, 'src/renderer'),
    publicDir: resolve(root, 'resources/public'),
    define,
    plugins: [react(), localSounds(out)],
    // Names kept (errors and classes are told apart by name), the rest minified: electron-vite leaves
    // the renderer unminified, 3.7 MB that every start parses before the phone can register.
    esbuild: { keepNames: true },
    build: {
      minify: 'esbuild' as const,
      outDir: resolve(out, 'renderer'),
      rollupOptions: { input: resolve(root, 'src/renderer/index.html'), onwarn },
    },
  };
  return {
    main: {
      define,
      plugins: [pgliteTemplate(out), commonJsScope()],
      build: {
        outDir: resolve(out, 'main'),
        // Bundled, not loaded from node_modules at run time: these are hundreds of small files (zod 95,
        // libphonenumber-js 134, conf + ajv ~140, twilio's token module + jsonwebtoken ~60), and Node's
        // loader spent ~0.5 s of a cold start's CPU resolving, reading and linking them one by one
        // (issue #21). Only pure-JS packages with no optional peers (ws's bufferutil would be stubbed)
        // and no use of `require` itself (fastify looks in require.cache) are bundled.
        externalizeDeps: { exclude: ['zod', 'libphonenumber-js', 'conf', 'twilio', 'fast-xml-parser'] },
        rollupOptions: {
          input: {
            // The Electron app's composition root.
            index: resolve(root, 'src/main/hosts/electron/main.ts'),
            // The same main-process services under plain Node, serving the renderer to any Chromium.
            'browser-host': resolve(root, 'src/main/hosts/browser/entry.ts'),
            // Search and reporting queries run on this worker thread, off the main event loop.
            'cache-query-worker': resolve(root, 'src/main/cache/query-worker.ts'),
            // A pull of many pages is written on this worker thread, while the main thread parses the next page.
            'cache-pull-writer': resolve(root, 'src/main/cache/pull-writer.ts'),
            // …and during a first pull, the calls' search index is built on this one beside it.
            'cache-search-builder': resolve(root, 'src/main/cache/search-builder.ts'),
            // The embedded cloud's PGlite runs on this worker thread, off the HTTP thread.
            'pglite-worker': resolve(root, 'src/cloud/db/pglite-worker.ts'),
          },
          // `.js` as before (electron-vite would name them `.cjs`): commonJsScope says what they are.
          // dynamicImportInCjs: no import() is left in the build, since Node 20 loses what a dynamic
          // import needs in code taken from V8's code cache (code-cache.ts); packages load by require.
          output: { format: 'cjs' as const, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', dynamicImportInCjs: false },
        },
      },
    },
    preload: {
      define,
      build: {
        outDir: resolve(out, 'preload'),
        // A sandboxed preload can require only 'electron': bundle everything else into one CommonJS file.
        externalizeDeps: false,
        rollupOptions: {
          input: { index: resolve(root, 'src/preload/index.ts') },
          onwarn,
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
      },
    },
    ...(process.env.AESTHETIX_BUILD_SKIP_RENDERER === '1' ? {} : { renderer }),
  };
});
