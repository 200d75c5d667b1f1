/**
 * The ≥ 200-kill automation crash run (prints its figures; exits 1 if any effect was not exactly
 * once or a run did not complete). Run: npx tsx test/bench/automation-crash.bench.ts
 *   CRASH_KILLS=200 CRASH_ROUND=60 CRASH_SPARES=4
 * Scenario: test/support/automation-crash.ts (the suite runs a 30-kill version in test/fault).
 * Time is bound by how fast Node can start replacement workers: ~1.8 s of CPU each.
 */
import { loadavg } from 'node:os';
import { startTestCloud, stopTestPostgres } from '../support/cloud-harness';
import { describeCrash, runAutomationCrash } from '../support/automation-crash';

const kills = Number(process.env.CRASH_KILLS ?? 200);
const round = Number(process.env.CRASH_ROUND ?? 60);
const spares = Number(process.env.CRASH_SPARES ?? 4);
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');

const t = await startTestCloud('postgres');
let failed = false;
try {
  const admin = (await t.login('admin')).accessToken;
  console.log(`automation crash bench: ${kills} kills, load ${load()}`);
  const r = await runAutomationCrash(t, admin, { kills, round, spares, progress: (line) => console.log(`  ${line} (load ${load()})`) });
  console.log(`automation crash bench: ${describeCrash(r)}; load ${load()}`);
  console.log(`  runs ${JSON.stringify(r.runsByStatus)}, ledger ${JSON.stringify(r.ledger)}, audit rows ${r.audits} (expected ${r.enrolled * 4})`);
  failed =
    r.effectsNotOnce.length > 0 || r.openSteps.length > 0 || r.distinctEffectsSeen !== r.enrolled * 2 || r.audits !== r.enrolled * 4 ||
    JSON.stringify(r.runsByStatus) !== JSON.stringify([{ status: 'completed', n: r.enrolled }]) ||
    JSON.stringify(r.ledger) !== JSON.stringify([{ status: 'done', n: r.enrolled * 6 }]);
  if (failed) console.log(`FAILED: ${JSON.stringify({ effectsNotOnce: r.effectsNotOnce.slice(0, 20), openSteps: r.openSteps.slice(0, 20) })}`);
} finally {
  await t.stop();
  await stopTestPostgres();
}
process.exit(failed ? 1 : 0);
