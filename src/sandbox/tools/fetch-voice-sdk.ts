// Fetches a published @twilio/voice-sdk release into .tmp/voice-sdk-<version>/ (npm pack + tar),
// unmodified, for tests that run older SDKs against the sandbox. Not a project dependency.
// Idempotent: an already unpacked release is reused. `npx tsx src/sandbox/tools/fetch-voice-sdk.ts 2.0.1`
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * The oldest 2.x release the npm registry serves (2.0.0 is not listed there). Releases before
 * 2.1 still default to the `chunderw-vpc-gll.twilio.com` signaling host.
 */
export const OLDEST_VOICE_SDK_2X = '2.0.1';

/** Path of the release's dist/twilio.min.js, fetching the release first if needed. */
export async function ensureVoiceSdk(version: string): Promise<string> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a release version: ${version}`);
  const dir = join(ROOT, '.tmp', `voice-sdk-${version}`);
  const bundle = join(dir, 'package', 'dist', 'twilio.min.js');
  if (existsSync(bundle)) return bundle;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await run('npm', ['pack', `@twilio/voice-sdk@${version}`, '--pack-destination', staging, '--silent'], { timeout: 120_000 });
    const tarball = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    await run('tar', ['xzf', tarball], { cwd: staging });
    if (!existsSync(join(staging, 'package', 'dist', 'twilio.min.js'))) throw new Error('the release has no dist/twilio.min.js');
    if (!existsSync(bundle)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  } catch (error) {
    throw new Error(`could not fetch @twilio/voice-sdk@${version} from the npm registry (needed once, then kept in .tmp): ${String(error)}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bundle;
}

if (process.argv[1] && import.meta.url === new URL(process.argv[1], 'file://').href) {
  process.stdout.write(`${await ensureVoiceSdk(process.argv[2] ?? OLDEST_VOICE_SDK_2X)}\n`);
}
