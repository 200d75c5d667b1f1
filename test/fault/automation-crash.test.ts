import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { describeCrash, runAutomationCrash } from '../support/automation-crash';

/**
 * Worker processes SIGKILLed at random points while runs execute (test/support/automation-crash.ts);
 * afterwards every outside effect was observed exactly once at the stand-in, every change to our
 * tables happened once, no run is stuck. This is the short version (30 kills) of the suite; the
 * ≥ 200-kill run is test/bench/automation-crash.bench.ts (minutes on a loaded machine, where a
 * replacement worker's Node start takes seconds). PostgreSQL: several processes share it.
 */
const KILLS = Number(process.env.AUTOMATION_CRASH_KILLS ?? 30);
const ROUND = Number(process.env.AUTOMATION_CRASH_ROUND ?? 40);

afterAll(stopTestPostgres);

describe('automation workers killed at random points', () => {
  let t: TestCloud;
  let admin: string;
  beforeAll(async () => {
    t = await startTestCloud('postgres');
    admin = (await t.login('admin')).accessToken;
  });
  afterAll(async () => t?.stop());

  it(`${KILLS} SIGKILLs: every effect exactly once, no run stuck`, async () => {
    const r = await runAutomationCrash(t, admin, { kills: KILLS, round: ROUND, progress: (line) => process.env.AUTOMATION_CRASH_VERBOSE && process.stderr.write(`crash test: ${line}\n`) });
    console.log(`automation crash test: ${describeCrash(r)}`);
    expect(r.kills).toBeGreaterThanOrEqual(KILLS);
    expect(r.stepsRerun).toBeGreaterThan(0); // some kills hit a worker mid-step (else the test proved nothing)
    expect(r.runsByStatus).toEqual([{ status: 'completed', n: r.enrolled }]);
    expect(r.openSteps).toEqual([]);
    expect(r.messageSteps).toBe(r.enrolled * 2);
    expect(r.effectsNotOnce).toEqual([]);
    expect(r.distinctEffectsSeen).toBe(r.enrolled * 2);
    expect(r.audits).toBe(r.enrolled * 4); // tag, dnd-or-field, assign, untag
    expect(r.ledger).toEqual([{ status: 'done', n: r.enrolled * 6 }]);
  }, 900_000);
});
