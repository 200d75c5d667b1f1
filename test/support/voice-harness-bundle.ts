import { build } from 'esbuild';

/**
 * The voice harness page's script (voice-harness-entry.tsx: the real VoiceEngine and
 * @twilio/voice-sdk over a bridge whose main-process side is the Node test), bundled for Chromium.
 */
export async function bundleVoiceHarness(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./voice-harness-entry.tsx', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]!.text;
}
