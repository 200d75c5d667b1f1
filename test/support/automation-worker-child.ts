/**
 * A worker process for the scale-out and crash tests: `npm run cloud:worker`'s engine, started from
 * the environment (DATABASE_URL, AUTOMATION_*), printing `ready` once it takes jobs. With PROBE_URL
 * set, the `send_sms` action is replaced by a probe that performs its outside effect as an HTTP POST
 * to that loopback counter (through the intent ledger, with a reconcile that asks the counter), so
 * the crash test can count how often each effect happened.
 */
import pino from 'pino';
import { startAutomation } from '../../src/cloud/automation';
import { registerAction } from '../../src/cloud/automation/actions/registry';
import { EffectRefused, type ActionDefinition } from '../../src/cloud/automation/actions/types';
import { configFromEnv } from '../../src/cloud/config';
import { migrate, openDatabase } from '../../src/cloud/db';
import { actionConfigSchemas, type ActionConfig } from '../../src/shared/cloud/workflows';

const probeUrl = process.env.PROBE_URL;
if (probeUrl) {
  const probe: ActionDefinition<ActionConfig<'send_sms'>> = {
    type: 'send_sms',
    category: 'communication',
    configSchema: actionConfigSchemas.send_sms,
    async execute(ctx, config) {
      const key = `${ctx.run.id}/${ctx.step.key}`;
      const body = await ctx.render(config.message);
      const result = await ctx.effect(
        'probe',
        async () => {
          const res = await fetch(`${probeUrl}/effects`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, body }) });
          if (res.status >= 400 && res.status < 500) throw new EffectRefused(`refused: ${res.status}`);
          if (!res.ok) throw new Error(`probe failed: ${res.status}`);
          return (await res.json()) as { id: number };
        },
        {
          // The provider lookup: did an earlier attempt's request land?
          reconcile: async () => {
            const res = await fetch(`${probeUrl}/effects/${encodeURIComponent(key)}`);
            return res.status === 200 ? ((await res.json()) as { id: number }) : undefined;
          },
        },
      );
      return { status: 'completed', output: result };
    },
  };
  registerAction(probe as ActionDefinition<never>);
}

const config = configFromEnv();
const log = pino({ level: process.env.LOG_LEVEL ?? 'error' });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
await migrate(db);
// WORKER_WARM=1: load, connect and migrate, print `warm`, and start taking jobs only on SIGUSR2 —
// a spare the crash test keeps ready so a kill does not wait for a Node start.
if (process.env.WORKER_WARM === '1') {
  const keepAlive = setInterval(() => undefined, 60_000); // an idle pool holds no handle
  // Listen before saying `warm`: the parent may signal the moment it reads the line.
  const go = new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));
  process.stdout.write('warm\n');
  await go;
  clearInterval(keepAlive);
}
const automation = await startAutomation({ db, config, log, publicUrl: () => 'http://127.0.0.1:9' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void automation.stop().then(() => db.close()).then(() => process.exit(0));
});
