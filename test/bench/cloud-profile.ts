/**
 * Profiles the inbound voice webhook: the API runs in a child process under `--cpu-prof`, receives
 * signed inbound-call webhooks (sequential, then concurrent), and writes its CPU profile on exit.
 * Run: npx tsx test/bench/cloud-profile.ts [outDir]   (BENCH_BACKENDS=postgres|pglite, PROFILE_WEBHOOKS=3000)
 * Summarise the .cpuprofile with Chrome DevTools or any profile viewer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import { DEMO_NUMBERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { post } from './support/cloud-child';

const COUNT = Number(process.env.PROFILE_WEBHOOKS ?? 3000);
const BACKEND = process.env.BENCH_BACKENDS === 'pglite' ? 'pglite' : 'postgres';
const outDir = resolve(process.argv[2] ?? join(tmpdir(), 'aesthetix-cloud-profile'));
const root = resolve(import.meta.dirname, '../..');
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

async function main(): Promise<void> {
  let pg: TestPostgres | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'aesthetix-prof-'));
  let child: ChildProcess | undefined;
  try {
    const env: Record<string, string> = { PORT: '0', LOG_LEVEL: 'silent', CLOUD_SEED: '1', CLOUD_SANDBOX: '1' };
    if (BACKEND === 'postgres') {
      pg = await startTestPostgres();
      env.DATABASE_URL = await pg.createDatabase('prof');
    } else {
      env.CLOUD_DATA_DIR = join(dir, 'data');
    }
    child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${outDir}`, '--import', 'tsx', 'src/cloud/cli.ts'], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((found, fail) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /on (http:\/\/[^\s]+)/.exec(out);
        if (m) found(m[1]!);
      });
      child!.once('exit', (code) => fail(new Error(`cloud exited with ${code}: ${out}`)));
    });
    const target = url + webhookPaths.inbound;
    const numbers = [DEMO_NUMBERS.beverlyHillsMain.number, DEMO_NUMBERS.jordanDirect.number, DEMO_NUMBERS.santaMonicaMain.number];
    let n = 0;
    const fire = async (): Promise<number> => {
      const i = n++;
      const params = {
        CallSid: `CAprof${String(i).padStart(26, '0')}${process.pid}`, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid,
        From: `+1310555${String(2000 + (i % 49) * 7).padStart(4, '0')}`, To: numbers[i % numbers.length]!, CallStatus: 'ringing', Direction: 'inbound',
      };
      const signature = twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, target, params);
      const t0 = performance.now();
      const res = await post(agent, target, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, new URLSearchParams(params).toString());
      if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.text.slice(0, 200)}`);
      return performance.now() - t0;
    };
    let sequential = 0;
    for (let i = 0; i < COUNT / 3; i++) sequential += await fire();
    console.log(`sequential: ${(sequential / Math.floor(COUNT / 3)).toFixed(2)} ms per request`);
    const t0 = performance.now();
    const rest = COUNT - n;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (n < COUNT) await fire();
    }));
    console.log(`concurrent (16): ${(rest / ((performance.now() - t0) / 1000)).toFixed(0)} req/s`);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`profile written to ${outDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
