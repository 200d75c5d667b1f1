import { performance } from 'node:perf_hooks';

/**
 * With AESTHETIX_STARTUP_TRACE=1, prints how long after the process started each startup phase
 * ended (test/bench/cold-start.bench.ts reads these lines). Silent otherwise.
 */
export function startupTrace(phase: string): void {
  if (process.env.AESTHETIX_STARTUP_TRACE === '1') process.stdout.write(`startup: ${phase} at ${Math.round(performance.now())} ms\n`);
}
