/**
 * The layering of ../shared/ARCHITECTURE.md, enforced in `npm test` (npm run layering).
 * test/integration/layering.test.ts feeds each rule a violating file and expects it to fail.
 */
const ELECTRON = '(^|/)node_modules/electron/|^electron$';
const TWILIO_SDK = '(^|/)node_modules/@twilio/voice-sdk/|^@twilio/voice-sdk$';
const PLAYWRIGHT = '(^|/)node_modules/(playwright|playwright-core|@playwright/[^/]+)/|^(playwright|playwright-core|@playwright/.+)$';
const TEST_FILE = '\\.test\\.tsx?$';
const TESTING_DIR = '(^|/)testing/';

module.exports = {
  forbidden: [
    {
      name: 'shared-is-runtime-neutral',
      comment: 'src/shared runs in main, preload, renderer, cloud and sandbox: no electron, no Node built-ins, no DOM/React.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: {
        pathNot: '^src/shared/',
        dependencyTypesNot: ['type-only'],
        path: ['^src/', ELECTRON, '(^|/)node_modules/(react|react-dom)/'],
      },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-to-main-cloud-sandbox',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|preload|cloud|sandbox)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-to-renderer',
      severity: 'error',
      from: { path: '^src/(main|preload)/' },
      to: { path: '^src/renderer/' },
    },
    {
      name: 'cloud-sandbox-no-electron',
      severity: 'error',
      from: { path: '^src/(cloud|sandbox)/' },
      to: { path: [ELECTRON, '^src/(main|preload|renderer)/'] },
    },
    {
      name: 'cloud-sandbox-only-via-embedded',
      comment:
        'In main, only src/main/embedded/ may import src/cloud and src/sandbox (and loads them lazily), so a build pointed at a real cloud never loads Fastify, PGlite or the sandbox.',
      severity: 'error',
      from: { path: '^src/main/', pathNot: '^src/main/embedded/' },
      to: { path: '^src/(cloud|sandbox)/' },
    },
    {
      name: 'twilio-sdk-only-in-voice',
      comment: 'Only src/renderer/voice/ may touch @twilio/voice-sdk.',
      severity: 'error',
      from: { pathNot: '^src/renderer/voice/' },
      to: { path: TWILIO_SDK },
    },
    {
      name: 'electron-only-in-adapters',
      comment:
        'Electron APIs are used only by the Electron host (src/main/hosts/electron/: the composition root, windows, protocol, IPC), the OS adapters in src/main/os/electron/, and the preload (whose whole job is contextBridge).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main/hosts/electron/', '^src/main/os/electron/', '^src/preload/'] },
      to: { path: ELECTRON },
    },
    {
      name: 'no-testing-in-production',
      comment: 'Fakes and test drivers live in testing/ folders; only tests (and other testing/ code) import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TEST_FILE, TESTING_DIR] },
      to: { path: TESTING_DIR },
    },
    {
      name: 'no-playwright-in-shipped-code',
      comment: 'src/sandbox/testing drives Chromium with playwright-core for tests; nothing shipped may reach it, directly or through other modules.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TEST_FILE, TESTING_DIR] },
      to: { path: PLAYWRIGHT, reachable: true },
    },
    {
      name: 'renderer-features-independent',
      comment: 'A renderer feature never imports another feature: what two share goes to renderer/lib or renderer/ui.',
      severity: 'error',
      from: { path: '^src/renderer/features/([^/]+)/' },
      to: { path: '^src/renderer/features/([^/]+)/', pathNot: '^src/renderer/features/$1/' },
    },
    {
      name: 'voice-below-the-ui',
      comment: 'renderer/voice is the phone engine: it never imports the app shell or a feature.',
      severity: 'error',
      from: { path: '^src/renderer/voice/' },
      to: { path: '^src/renderer/(app|features)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|dist|\\.tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    builtInModules: { add: [] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
