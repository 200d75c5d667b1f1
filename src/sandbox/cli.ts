// `npm run sandbox [-- --port 7443 --events]`: runs the Twilio sandbox standalone and prints
// where it listens and its credentials. Options also come from SANDBOX_* environment variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSandbox } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'account-sid': { type: 'string' },
    'auth-token': { type: 'string' },
    'api-key-sid': { type: 'string' },
    'api-key-secret': { type: 'string' },
    events: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run sandbox -- [--port N] [--host 127.0.0.1] [--account-sid AC…] [--auth-token T] [--api-key-sid SK…] [--api-key-secret S] [--events]');
  process.exit(0);
}

const env = process.env;
const options = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).optional(),
    host: z.string().optional(),
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
    authToken: z.string().min(8).optional(),
    apiKeySid: z.string().regex(/^SK[0-9a-f]{32}$/).optional(),
    apiKeySecret: z.string().min(8).optional(),
  })
  .parse({
    port: values.port ?? env.SANDBOX_PORT,
    host: values.host ?? env.SANDBOX_HOST,
    accountSid: values['account-sid'] ?? env.SANDBOX_ACCOUNT_SID,
    authToken: values['auth-token'] ?? env.SANDBOX_AUTH_TOKEN,
    apiKeySid: values['api-key-sid'] ?? env.SANDBOX_API_KEY_SID,
    apiKeySecret: values['api-key-secret'] ?? env.SANDBOX_API_KEY_SECRET,
  });

const sandbox = await startSandbox(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
const caFile = join(mkdtempSync(join(tmpdir(), 'twilio-sandbox-')), 'ca.pem');
writeFileSync(caFile, sandbox.caPem);

console.log(
  JSON.stringify(
    {
      edgeHost: sandbox.edgeHost,
      signalingUrl: `wss://${sandbox.edgeHost}/signal`,
      restBaseUrl: sandbox.restBaseUrl,
      controlUrl: `${sandbox.restBaseUrl}/sandbox`,
      caFile,
      accountSid: sandbox.accountSid,
      authToken: sandbox.authToken,
      apiKeySid: sandbox.apiKeySid,
      apiKeySecret: sandbox.apiKeySecret,
      // Every Twilio hostname an unmodified client uses (signaling edges of current and older SDK
      // 2.x releases, Insights, sounds, REST) mapped here; add --ignore-certificate-errors or trust caFile.
      chromiumFlags: [`--host-resolver-rules=${sandbox.hostResolverRules}`, '--ignore-certificate-errors'],
    },
    null,
    2,
  ),
);

if (values.events) sandbox.events.on('event', (e) => console.log(JSON.stringify(e)));

const shutdown = (): void => void sandbox.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
