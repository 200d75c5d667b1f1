// `npm run slack-standin [-- --port 7444 --large --events]`: the Slack Web API stand-in on its own.
// Prints where it listens, the app's OAuth credentials and the control token as JSON.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSlackStandIn } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    large: { type: 'boolean', default: false },
    'state-file': { type: 'string' },
    consent: { type: 'string' },
    'enforce-rate-limits': { type: 'boolean', default: false },
    events: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run slack-standin -- [--port N] [--host 127.0.0.1] [--seed S] [--large] [--state-file F] [--consent auto|page] [--enforce-rate-limits] [--events]');
  console.log('env: SLACK_STANDIN_CLIENT_ID, SLACK_STANDIN_CLIENT_SECRET, SLACK_STANDIN_CONTROL_TOKEN');
  process.exit(0);
}

const env = process.env;
const opts = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).optional(),
    host: z.string().optional(),
    seed: z.string().min(1).optional(),
    stateFile: z.string().optional(),
    consent: z.enum(['auto', 'page']).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(8).optional(),
    controlToken: z.string().min(16).optional(),
  })
  .parse({
    port: values.port,
    host: values.host,
    seed: values.seed,
    stateFile: values['state-file'],
    consent: values.consent,
    clientId: env.SLACK_STANDIN_CLIENT_ID,
    clientSecret: env.SLACK_STANDIN_CLIENT_SECRET,
    controlToken: env.SLACK_STANDIN_CONTROL_TOKEN,
  });

const slack = await startSlackStandIn({
  ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
  enforceRateLimits: values['enforce-rate-limits'],
  ...(values.large ? { extraUsers: 1500, extraChannels: 1200 } : {}),
});
console.log(JSON.stringify({ apiUrl: slack.apiUrl, authorizeUrl: slack.authorizeUrl, controlUrl: `${slack.baseUrl}/_standin`, teamId: slack.teamId, clientId: slack.clientId, clientSecret: slack.clientSecret, controlToken: slack.controlToken }, null, 2));
if (values.events) slack.events.on('event', (e) => console.log(JSON.stringify(e)));
const shutdown = (): void => void slack.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
