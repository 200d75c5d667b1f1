import { performance } from 'node:perf_hooks';

/**
 * With AESTHETIX_STARTUP_TRACE=1, prints how long after the process started each startup phase
 * ended, and the CPU time the process had used by then (all its threads: on a loaded machine the
 * wall time says more about the load than about the code). test/bench/cold-start.bench.ts reads
 * these lines. Silent otherwise.
 */
export function startupTrace(phase: string): void {
  if (process.env.AESTHETIX_STARTUP_TRACE !== '1') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`startup: ${phase} at ${Math.round(performance.now())} ms, cpu ${Math.round((user + system) / 1000)} ms\n`);
}
