import { createServer, type Server } from 'node:http';
import { DEMO_USERS } from '../../src/cloud/seed';
import type { TestCloud } from './cloud-harness';
import { publishWorkflow, waitFor } from './automation';
import { bundleWorkerChild, spawnWorker, stopWorker, type WorkerProcess } from './worker-processes';

/**
 * The automation crash scenario (test/fault/automation-crash.test.ts runs a short one,
 * test/bench/automation-crash.bench.ts the ≥ 200-kill one): worker processes against one
 * PostgreSQL are SIGKILLed at random points while a mix of runs executes (claim, contact writes,
 * an outside effect, outcome, next step). Spares are started ahead (loaded, connected, migrated,
 * idle) so a kill is followed at once by a replacement taking jobs — on a loaded machine a Node
 * start takes many seconds. The outside effect is a probe posting to a loopback counter through the
 * intent ledger; its reconcile asks the counter whether an interrupted attempt's request landed
 * (what a provider lookup does). Afterwards two fresh workers finish every run.
 */
export interface CrashOptions {
  kills: number;
  /** Runs enrolled at a time (more whenever fewer than a quarter are outstanding). */
  round: number;
  /** Workers running at once, each killed at a random point and replaced from the pool. */
  slots?: number;
  /** Warm spares kept ready. */
  spares?: number;
  progress?: (line: string) => void;
}

export interface CrashResult {
  kills: number;
  killedBeforeReady: number;
  killPhaseMs: number;
  drainMs: number;
  enrolled: number;
  runsByStatus: Array<{ status: string; n: number }>;
  /** Steps left in a state other than completed/skipped. */
  openSteps: unknown[];
  /** Message steps recorded for the runs, and how often the stand-in saw each (should be 1). */
  messageSteps: number;
  effectsNotOnce: Array<{ key: string; seen: number }>;
  distinctEffectsSeen: number;
  /** Audit rows written by the runs (one per contact change: 4 per run). */
  audits: number;
  ledger: Array<{ status: string; n: number }>;
  stepsRerun: number;
  maxAttempts: number;
  reconciled: number;
}

export async function runAutomationCrash(t: TestCloud, admin: string, options: CrashOptions): Promise<CrashResult> {
  const slots = options.slots ?? 2;
  const spareCount = options.spares ?? 4;
  const progress = options.progress ?? (() => undefined);
  const seen = new Map<string, number>();
  const effectWaiters: Array<() => void> = [];
  const probe = await startProbe(seen, () => effectWaiters.splice(0).forEach((w) => w()));
  /** Resolves true when the stand-in next receives an effect, false after `ms`. */
  const nextEffect = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      effectWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  const bundle = await bundleWorkerChild();
  const all: WorkerProcess[] = [];
  try {
    const wf = await publishWorkflow(t, admin, 'Crash mix', {
      trigger: { type: 'manual', filters: {} },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['crash'] } },
        { id: 'sms1', name: 'First message', type: 'send_sms', config: { message: 'Hi {{contact.first_name}}' } },
        {
          id: 'odd', name: 'Odd?', type: 'if_else',
          branches: [{ id: 'yes', name: 'Odd', conditions: { match: 'all', rules: [{ field: 'custom.odd', operator: 'equals', value: 'true' }] }, steps: [
            { id: 'dnd', name: 'DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: ['sms'] } },
          ] }],
          elseSteps: [{ id: 'field', name: 'Field', type: 'update_contact_field', config: { field: 'custom_fields.crash', value: 'even' } }],
        },
        { id: 'assign', name: 'Assign', type: 'assign_user', config: { userIds: [DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id] } },
        { id: 'sms2', name: 'Second message', type: 'send_sms', config: { message: 'Bye {{contact.first_name}}' } },
        { id: 'untag', name: 'Untag', type: 'remove_tag', config: { tags: ['crash'] } },
      ],
    });
    const db = t.cloud.db;
    let enrolled = 0;
    const enrolRound = async (): Promise<void> => {
      for (let i = 0; i < options.round; i += 1) {
        const n = enrolled++;
        const c = await t.api(admin, 'POST', '/v1/contacts', { name: `Crash ${n}`, phone: `+1415555${String(1000 + n).padStart(4, '0')}` });
        const e = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/enrol`, { contactId: c.body.id, customValues: { odd: n % 2 === 1 } });
        if (e.status !== 201) throw new Error(`enrol failed: ${e.status}`);
      }
    };
    // Enrolments become runs only when a worker's dispatcher takes the event: count what is not completed.
    const completed = async (): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'completed'`, [wf.id]))[0]!.n;
    const env = {
      DATABASE_URL: t.databaseUrl!, PROBE_URL: probe.url, AUTOMATION_CONCURRENCY: '4', AUTOMATION_LEASE_SECONDS: '5',
      AUTOMATION_SUPERVISE_SECONDS: '1', AUTOMATION_RETRY_LIMIT: '20',
    };
    await enrolRound();

    const spares: WorkerProcess[] = [];
    const spare = (): void => {
      const w = spawnWorker(bundle.script, { ...env, WORKER_WARM: '1' });
      spares.push(w);
      all.push(w);
    };
    for (let i = 0; i < spareCount; i += 1) spare();
    let kills = 0;
    let killedBeforeReady = 0;
    const slot = async (): Promise<void> => {
      while (kills < options.kills) {
        const w = spares.shift()!;
        spare();
        await w.warm; // a spare dying while idle is a broken setup, not a finding: let it throw
        w.go();
        // A random point in the worker's life. A third: just after an outside effect reached the
        // stand-in (the in-doubt window: provider acted, result not yet committed). Half: a random
        // moment while it works (claiming, contact writes, outcomes, the next step). The rest: while
        // pg-boss is still starting.
        const pick = Math.random();
        if (pick < 0.85) await w.ready;
        if (pick < 0.35) {
          if (await nextEffect(5000)) await new Promise((r) => setTimeout(r, Math.random() * 20));
        } else await new Promise((r) => setTimeout(r, Math.random() * (pick < 0.85 ? 8000 : 1500)));
        if (w.readyAt === null) killedBeforeReady += 1;
        w.child.kill('SIGKILL');
        await w.exited;
        kills += 1;
        if (kills % 10 === 0) {
          const steps = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM run_steps WHERE workflow_id = $1 GROUP BY status`, [wf.id]);
          progress(`${kills} kills, ${enrolled - (await completed())} runs outstanding, ${seen.size} effects seen, steps ${JSON.stringify(steps)}`);
        }
      }
    };
    const feeder = async (): Promise<void> => {
      while (kills < options.kills) {
        if (enrolled - (await completed()) < options.round / 4) await enrolRound();
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const started = Date.now();
    await Promise.all([...Array.from({ length: slots }, slot), feeder()]);
    const killPhaseMs = Date.now() - started;
    for (const w of spares) w.child.kill('SIGKILL');
    await Promise.all(all.map((w) => w.exited));

    progress(`kill phase over (${kills} kills); two workers finish the ${enrolled} runs`);
    const finishers = [spawnWorker(bundle.script, env), spawnWorker(bundle.script, env)];
    all.push(...finishers);
    await Promise.all(finishers.map((w) => w.ready));
    await waitFor('every run to complete', async () => ((await completed()) === enrolled ? true : null), 600_000, 1000);
    await Promise.all(finishers.map((w) => stopWorker(w)));
    const drainMs = Date.now() - started - killPhaseMs;

    const ofRuns = `SELECT id FROM workflow_runs WHERE workflow_id = $1`;
    const runsByStatus = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1 GROUP BY status`, [wf.id]);
    const openSteps = await db.query(`SELECT run_id, step_key, status FROM run_steps WHERE workflow_id = $1 AND status NOT IN ('completed', 'skipped')`, [wf.id]);
    const expected = await db.query<{ key: string }>(`SELECT run_id || '/' || step_key AS key FROM run_steps WHERE workflow_id = $1 AND step_key IN ('sms1', 'sms2')`, [wf.id]);
    const effectsNotOnce = expected.map((e) => ({ key: e.key, seen: seen.get(e.key) ?? 0 })).filter((e) => e.seen !== 1);
    const audits = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE details->'by'->>'runId' IN (${ofRuns})`, [wf.id]);
    const ledger = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM step_effects WHERE run_id IN (${ofRuns}) GROUP BY status`, [wf.id]);
    const retried = await db.query<{ n: number; max: number | null }>(`SELECT count(*)::int AS n, max(attempts)::int AS max FROM run_steps WHERE workflow_id = $1 AND attempts > 1`, [wf.id]);
    const reconciled = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM step_effects WHERE run_id IN (${ofRuns}) AND result->>'reconciled' = 'true'`, [wf.id]);
    return {
      kills, killedBeforeReady, killPhaseMs, drainMs, enrolled, runsByStatus, openSteps,
      messageSteps: expected.length, effectsNotOnce, distinctEffectsSeen: seen.size, audits: audits[0]!.n, ledger,
      stepsRerun: retried[0]!.n, maxAttempts: retried[0]!.max ?? 1, reconciled: reconciled[0]!.n,
    };
  } finally {
    for (const w of all) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(all.map((w) => w.exited));
    await new Promise((ok) => probe.server.close(ok));
    await bundle.remove();
  }
}

export function describeCrash(r: CrashResult): string {
  return (
    `${r.kills} SIGKILLs (${r.killedBeforeReady} while the worker was still starting) in ${(r.killPhaseMs / 1000).toFixed(0)} s, ` +
    `then drained in ${(r.drainMs / 1000).toFixed(0)} s; ${r.enrolled} runs × 6 steps; ${r.stepsRerun} steps re-run after a kill ` +
    `(max ${r.maxAttempts} attempts); ${r.reconciled} outside effects caught in the window between the provider acting and the ` +
    `result commit (found by reconcile, not repeated); effects not seen exactly once: ${r.effectsNotOnce.length}`
  );
}

/** The outside world: counts each effect key; answers "did this key land?" for reconcile. */
async function startProbe(seen: Map<string, number>, onEffect: () => void): Promise<{ server: Server; url: string }> {
  let nextId = 1;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/effects') {
        const { key } = JSON.parse(body) as { key: string };
        seen.set(key, (seen.get(key) ?? 0) + 1);
        onEffect();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: nextId++ }));
      } else if (req.method === 'GET' && req.url?.startsWith('/effects/')) {
        const key = decodeURIComponent(req.url.slice('/effects/'.length));
        if (seen.has(key)) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: -1, reconciled: true }));
        else res.writeHead(404).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}
