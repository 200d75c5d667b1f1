import { spawn, type ChildProcess } from 'node:child_process';
import { request, type Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';

/**
 * What the cloud benchmarks share: a cloud started as its own process (the load generator must not
 * share its event loop), a cheap POST, percentiles and the machine's load printed beside figures.
 */

export interface CloudChild {
  url: string;
  child: ChildProcess;
}

/**
 * Starts `src/cloud/cli.ts` from `root` in sandbox mode with the demo practice; resolves with its URL.
 * BENCH_API_PROF=<folder>: the API process writes V8's CPU profile of its main thread there when it
 * stops (NODE_OPTIONS refuses --cpu-prof).
 */
export async function startCloudChild(root: string, env: Record<string, string>): Promise<CloudChild> {
  const profile = process.env.BENCH_API_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/cloud/cli.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', CLOUD_SEED: '1', CLOUD_SANDBOX: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`cloud exited with ${code}: ${out}`)));
  });
  return { url, child };
}

export async function stopCloudChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await exited;
}

/** POST over a keep-alive agent (the load generator should cost as little as possible). */
export function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The p-th percentile of ascending `sorted` (NaN when empty). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Random lowercase hex, for Twilio-shaped sids. */
export const randomHex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** The machine's load, printed beside every figure (a benchmark on a busy machine says so). */
export const machineLoad = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min) on ${cpus().length} cores`;
