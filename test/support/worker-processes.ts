import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

/** Worker processes for multi-process automation tests (scale-out, crashes). */
const root = resolve(import.meta.dirname, '../..');

/** Bundles the worker child once (a restart then costs a Node start, not a TypeScript compile). */
export async function bundleWorkerChild(): Promise<{ script: string; remove(): Promise<void> }> {
  const script = resolve(root, '.tmp', `automation-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [resolve(import.meta.dirname, 'automation-worker-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    packages: 'external',
    logLevel: 'silent',
  });
  return { script, remove: () => rm(script, { force: true }) };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker takes jobs; rejects if it exits first. */
  ready: Promise<void>;
  /** With WORKER_WARM=1: resolves when the worker is loaded and connected, waiting for `go()`. */
  warm: Promise<void>;
  readyAt: number | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Tells a warm worker to start taking jobs. */
  go(): void;
  output(): string;
}

export function spawnWorker(script: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'error', CLOUD_SANDBOX: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const waiters: Array<{ line: string; ok: () => void }> = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 20_000) output = output.slice(-20_000);
    for (const w of waiters.splice(0)) {
      if (output.includes(`${w.line}\n`)) w.ok();
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const line = (text: string): Promise<void> => {
    const promise = new Promise<void>((ok, fail) => {
      waiters.push({ line: text, ok });
      void exited.then(({ code, signal }) => fail(new Error(`worker exited before ${text} (${code ?? signal}): ${output.slice(-2000)}`)));
    });
    promise.catch(() => undefined);
    return promise;
  };
  const worker: WorkerProcess = {
    child,
    readyAt: null,
    ready: line('ready'),
    warm: line('warm'),
    exited,
    go: () => child.kill('SIGUSR2'),
    output: () => output,
  };
  worker.ready.then(() => (worker.readyAt = Date.now()), () => undefined);
  return worker;
}

export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill(signal);
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 15_000);
  await worker.exited;
  clearTimeout(timer);
}
