// The embedded default's Slack stand-in: what starting it costs (prints figures; not a timed test):
// `npx tsx test/bench/demo-slack-start.bench.ts`. The stack starts it after the automation workers,
// off the path to "Ready for calls" (src/main/embedded/stack.ts); these are the figures that choice rests on.
//  1. loading its code (in the app this is shared with the cloud's Fastify; here tsx compiles it too),
//  2. the first start in this process (wall and this process's CPU), and
//  3. RESTARTS more starts (p50/p95), each seeded with the demo workspace and its state file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLoad, percentile } from './support/cloud-child';
import { freePort } from '../../src/main/embedded/free-port';

const RESTARTS = 10;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-slack-bench-'));
  try {
    console.log(`before: ${machineLoad()}`);
    const loadStart = performance.now();
    const { planDemoSlack, startDemoSlack } = await import('../../src/main/embedded/demo-slack');
    const loadMs = performance.now() - loadStart;

    const plan = planDemoSlack(await freePort());
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const first = await startDemoSlack(plan, dir);
    const firstMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await first.stop();

    const again: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const next = planDemoSlack(await freePort());
      const t = performance.now();
      const s = await startDemoSlack(next, dir);
      again.push(performance.now() - t);
      await s.stop();
    }
    again.sort((a, b) => a - b);
    console.log(`code load (tsx compiling included): ${fmt(loadMs)}`);
    console.log(`first start: ${fmt(firstMs)} wall, ${fmt((cpu.user + cpu.system) / 1000)} CPU`);
    console.log(`${RESTARTS} more starts: p50 ${fmt(percentile(again, 50))}, p95 ${fmt(percentile(again, 95))}`);
    console.log(`after: ${machineLoad()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
