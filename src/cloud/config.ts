import { isIP } from 'node:net';
import { z } from 'zod';
import { AI_TIMEOUT_MAX_MS } from '../shared/cloud/ai-write';
import { OWASP_ARGON2, meetsOwasp } from './auth/passwords';

/**
 * Credentials the cloud uses in sandbox mode (development, tests, the desktop's embedded default).
 * They are not secrets: the local Twilio sandbox is started with the same values so that it can
 * verify access tokens and sign webhooks. Real deployments must set TWILIO_* themselves.
 */
export const SANDBOX_TWILIO_CREDENTIALS = {
  accountSid: 'AC00000000000000000000000000000000',
  authToken: 'sandbox-auth-token-0000000000000000',
  apiKeySid: 'SK00000000000000000000000000000000',
  apiKeySecret: 'sandbox-api-key-secret-000000000000',
  twimlAppSid: 'AP00000000000000000000000000000000',
} as const;

const twilioSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits'),
  authToken: z.string().min(16),
  apiKeySid: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must look like SK followed by 32 hex digits'),
  apiKeySecret: z.string().min(16),
  twimlAppSid: z.string().regex(/^AP[0-9a-fA-F]{32}$/, 'must look like AP followed by 32 hex digits'),
  /** Base URL of the Twilio REST API; the sandbox's in development and tests. */
  restBaseUrl: z.string().url().default('https://api.twilio.com'),
  /** PEM of the one CA to trust for restBaseUrl (the sandbox's self-signed CA). */
  restCaPem: z.string().optional(),
  accessTokenTtlSeconds: z.number().int().min(60).max(86_400).default(3600),
});

/** Delivery of two-factor codes and change notices (src/cloud/twofa). */
const twoFactorSchema = z.object({
  /** Outgoing mail server; unset: email codes cannot be sent and email is not offered as a channel. */
  smtp: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535).default(587),
      /** true: TLS from the first byte (465); false: STARTTLS when offered (required unless `allowPlaintext`). */
      secure: z.boolean().default(false),
      user: z.string().optional(),
      pass: z.string().optional(),
      /** Only a local catcher (development, tests) may be reached without TLS. */
      allowPlaintext: z.boolean().default(false),
    })
    .optional(),
  mailFrom: z.string().min(3).default('Aesthetix <no-reply@aesthetix.example>'),
  /** The number SMS codes come from; unset: the account's first number. */
  smsFrom: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +14155550123').optional(),
});

/** The automation engine (src/cloud/automation). */
const automationSchema = z.object({
  /** Run the engine's workers in this process (`npm run cloud`); off: API only (`npm run cloud:worker` runs them elsewhere). */
  workers: z.boolean().default(true),
  /** Steps one process runs at once. */
  concurrency: z.number().int().min(1).max(100).default(8),
  /** Seconds a claimed step belongs to its worker; a crashed worker's steps are taken over after this. */
  leaseSeconds: z.number().int().min(5).max(3600).default(120),
  /** Retries of a step whose action throws (with exponential backoff). */
  retryLimit: z.number().int().min(0).max(20).default(4),
  /** How often pg-boss looks for expired jobs. */
  superviseIntervalSeconds: z.number().int().min(1).max(3600).default(30),
  /** Connections pg-boss's own pool may open (PostgreSQL). */
  poolSize: z.number().int().min(1).max(100).default(5),
  /** Slack Web API base (the local stand-in in development and tests). */
  slackApiUrl: z.string().url().default('https://slack.com/api/'),
});

/**
 * Published key for integration tokens in sandbox mode only (development, tests, the embedded
 * default, whose Slack tokens are the stand-in's): refused outside sandbox mode, like the sandbox's
 * Twilio credentials.
 */
export const SANDBOX_SECRETS_KEY = 'c2FuZGJveC1pbnRlZ3JhdGlvbi1rZXktMDAwMDAwMDA';

/** Settings → Integrations: the Slack app a practice installs into its workspace (src/cloud/slack). */
const integrationsSchema = z.object({
  slack: z
    .object({
      clientId: z.string().min(1),
      clientSecret: z.string().min(8),
      /** Where "Connect Slack" sends the admin's browser (the stand-in's in development). */
      authorizeUrl: z.string().url().default('https://slack.com/oauth/v2/authorize'),
    })
    .optional(),
});

/** `ip`, `ip:port` (IPv4) or `[ip]:port` (IPv6): what node:dns's Resolver.setServers takes. */
export function isDnsServerAddress(entry: string): boolean {
  const v6 = /^\[(.+)\](?::(\d{1,5}))?$/.exec(entry);
  const v4 = /^([^:]+):(\d{1,5})$/.exec(entry);
  const [address, port] = v6 ? [v6[1]!, v6[2]] : v4 ? [v4[1]!, v4[2]] : [entry, undefined];
  const family = isIP(address);
  if (family === 0 || (v6 && family !== 6) || (v4 && family !== 4)) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
}

/** The DNS resolver that checks sending domains' TXT records (src/cloud/sending-domains/dns-check.ts). */
const dnsSchema = z.object({
  /** Servers to ask, in order; empty: the system's resolvers (/etc/resolv.conf). */
  servers: z.array(z.string().refine(isDnsServerAddress, 'must be an IP address, optionally with a port (1.1.1.1, 1.1.1.1:53, [2606:4700::1111]:53)')).max(8).default([]),
  /** How long one lookup waits for an answer from a server before trying again (or giving up: a timeout). */
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  /** Attempts per server before a lookup is a timeout. */
  tries: z.number().int().min(1).max(5).default(2),
});

/** One class of requests at the admission gate (src/cloud/http/admission.ts). */
/**
 * The AI agents' brain (src/cloud/agents): `openai` = an OpenAI-compatible chat-completions endpoint
 * (src/cloud/ai/openai-client.ts), `scripted` = the deterministic offline agent (embedded default,
 * tests), `none` = agent lines fall back to the number's normal routing (the admin screen says so).
 */
const aiSchema = z
  .object({
    brain: z.enum(['none', 'scripted', 'openai']).default('none'),
    baseUrl: z.string().url().optional(),
    model: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(1000).max(AI_TIMEOUT_MAX_MS).default(20_000),
  })
  .refine((ai) => ai.brain !== 'openai' || (ai.baseUrl !== undefined && ai.model !== undefined), { message: 'the openai brain needs AI_BASE_URL and AI_MODEL', path: ['baseUrl'] });

const admissionClassSchema = z.object({
  /** Requests of the class handled at once. */
  concurrency: z.number().int().min(1).max(1000),
  /** Requests that may wait for a slot; one more is refused at once (503 + Retry-After). */
  maxQueue: z.number().int().min(0).max(100_000),
  /** Longest a request may wait for a slot: refused at once when the expected wait is longer, and after it at the latest. */
  maxWaitMs: z.number().int().min(1).max(60_000),
});

/** Connections and admission under load; unset values take the backend's defaults (admission.ts). */
const loadSchema = z.object({
  /** PostgreSQL connections for everything but webhooks. */
  poolSize: z.number().int().min(1).max(500).default(10),
  /** PostgreSQL connections only Twilio's webhooks use. */
  webhookPoolSize: z.number().int().min(1).max(500).default(6),
  webhook: admissionClassSchema.partial().prefault({}),
  sync: admissionClassSchema.partial().prefault({}),
  api: admissionClassSchema.partial().prefault({}),
});

export const cloudConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8787),
  /** Set: use this PostgreSQL server. Unset: embedded PGlite in `dataDir`. */
  databaseUrl: z.string().url().optional(),
  /** Where PGlite keeps its files; `memory://` keeps nothing on disk (tests). */
  dataDir: z.string().default('.data/cloud'),
  /**
   * The URL Twilio reaches this API at. Webhook signatures are computed over it, so it must be
   * exactly what Twilio (or the sandbox) posts to. Defaults to the listening address.
   */
  publicUrl: z.string().url().optional(),
  /**
   * Sandbox mode (development, tests, the desktop's embedded default): missing TWILIO_* fall back
   * to the sandbox's published credentials. Only when asked for, and only on a loopback address.
   */
  sandbox: z.boolean().default(false),
  twilio: twilioSchema,
  twoFactor: twoFactorSchema.prefault({}),
  automation: automationSchema.prefault({}),
  integrations: integrationsSchema.prefault({}),
  ai: aiSchema.prefault({}),
  dns: dnsSchema.prefault({}),
  load: loadSchema.prefault({}),
  /**
   * 32 bytes (base64 or base64url) that encrypt integration tokens at rest (Slack). Kept outside the
   * database it protects. Unset: in sandbox mode the published sandbox key; otherwise connecting an
   * integration is refused with a message saying to set it.
   */
  secretsKey: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  /**
   * Server keys (JWT signing, 2FA code HMAC and secret sealing, cursors), never in the database:
   * `keys` = CLOUD_KEYS (`id:base64url,…`, current first) or `keysFile` = CLOUD_KEYS_FILE (JSON,
   * mode 0600). Sandbox mode without either generates them beside its data folder (or in memory).
   */
  keys: z.string().min(1).optional(),
  keysFile: z.string().min(1).optional(),
  accessTokenTtlSeconds: z.number().int().min(30).max(86_400).default(900),
  refreshTokenTtlDays: z.number().int().min(1).max(365).default(30),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`). Empty: none — the client address is the TCP peer's.
   */
  trustProxy: z
    .array(
      z.string().refine((entry) => {
        if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
        const [address, prefix, ...rest] = entry.split('/');
        const family = isIP(address ?? '');
        if (family === 0 || rest.length > 0) return false;
        return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
      }, 'each entry must be an IP address, a CIDR range, or loopback / linklocal / uniquelocal'),
    )
    .default([]),
  /** Failed logins allowed per email (and per address) in `loginWindowSeconds`. */
  loginMaxFailures: z.number().int().min(1).default(5),
  loginWindowSeconds: z.number().int().min(1).default(900),
  /**
   * Requests to the public tracked-link route (`/l/<token>`) allowed per client address (an IPv6
   * /64) in `linkClickWindowSeconds`; more get 429 with Retry-After, uncounted.
   */
  linkClickLimit: z.number().int().min(1).max(100_000).default(60),
  linkClickWindowSeconds: z.number().int().min(1).max(86_400).default(60),
  /** Twilio webhook signature checks; only tests that exercise the check itself turn it off. */
  validateTwilioSignatures: z.boolean().default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Milliseconds graceful shutdown waits for in-flight requests before closing connections. */
  shutdownGraceMs: z.number().int().min(0).default(10_000),
  /** Argon2id cost: at least OWASP's recommendation outside sandbox mode (tests lower it there). */
  argon2: z
    .object({ memoryCost: z.number().int().min(1024), timeCost: z.number().int().min(1) })
    .default(OWASP_ARGON2),
});

const LOOPBACK_HOSTS = /^(127(?:\.\d{1,3}){3}|::1|localhost|\[::1\])$/i;
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.test(host);

/** Rules across fields: what makes a configuration unsafe to run. */
const checkedConfigSchema = cloudConfigSchema.superRefine((config, issue) => {
  if (config.sandbox && !isLoopbackHost(config.host)) {
    issue.addIssue({
      code: 'custom',
      path: ['host'],
      message: `sandbox mode only listens on a loopback address (127.0.0.1 or ::1), not "${config.host}": its Twilio auth token is published, so anyone who can reach it could forge calls`,
    });
  }
  if (!config.sandbox && !config.keys && !config.keysFile) {
    issue.addIssue({ code: 'custom', path: ['keys'], message: 'server keys are required outside sandbox mode: set CLOUD_KEYS or CLOUD_KEYS_FILE (npm run cloud:keys -- generate makes one); they never live in the database' });
  }
  if (config.keys && config.keysFile) {
    issue.addIssue({ code: 'custom', path: ['keysFile'], message: 'set CLOUD_KEYS or CLOUD_KEYS_FILE, not both' });
  }
  if (!config.sandbox && !meetsOwasp(config.argon2)) {
    issue.addIssue({ code: 'custom', path: ['argon2'], message: `below OWASP's recommendation for argon2id (memoryCost ≥ ${OWASP_ARGON2.memoryCost} KiB, timeCost ≥ ${OWASP_ARGON2.timeCost})` });
  }
  if (!config.sandbox && config.secretsKey === SANDBOX_SECRETS_KEY) {
    issue.addIssue({ code: 'custom', path: ['secretsKey'], message: "is the sandbox's published key: outside sandbox mode generate your own (openssl rand -base64 32)" });
  }
  if (!config.sandbox) {
    for (const [key, value] of Object.entries(SANDBOX_TWILIO_CREDENTIALS)) {
      if (config.twilio[key as keyof typeof SANDBOX_TWILIO_CREDENTIALS] === value && (key === 'authToken' || key === 'apiKeySecret')) {
        issue.addIssue({ code: 'custom', path: ['twilio', key], message: 'is the sandbox\'s published value: outside sandbox mode use your Twilio account\'s own credentials' });
      }
    }
  }
});

export type CloudConfig = z.infer<typeof cloudConfigSchema>;
export type CloudConfigInput = z.input<typeof cloudConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates a config object, with one readable line per problem. */
export function parseConfig(input: unknown, source = 'configuration'): CloudConfig {
  const result = checkedConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issueName(issue.path)}: ${issue.message}`);
    const twilioMissing = result.error.issues.some((issue) => issue.path[0] === 'twilio' && issue.code === 'invalid_type');
    const hint = twilioMissing
      ? '\nTwilio credentials are required for a real deployment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, TWILIO_TWIML_APP_SID). For local development against the Twilio sandbox, set CLOUD_SANDBOX=1 (loopback only).'
      : '';
    throw new ConfigError(`Invalid cloud API ${source}:\n${lines.join('\n')}${hint}`);
  }
  return result.data;
}

const envNames: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'CLOUD_DATA_DIR',
  publicUrl: 'CLOUD_PUBLIC_URL',
  sandbox: 'CLOUD_SANDBOX',
  keys: 'CLOUD_KEYS',
  keysFile: 'CLOUD_KEYS_FILE',
  logLevel: 'LOG_LEVEL',
  trustProxy: 'TRUST_PROXY',
  linkClickLimit: 'LINK_CLICK_LIMIT',
  linkClickWindowSeconds: 'LINK_CLICK_WINDOW_SECONDS',
  'twilio.accountSid': 'TWILIO_ACCOUNT_SID',
  'twilio.authToken': 'TWILIO_AUTH_TOKEN',
  'twilio.apiKeySid': 'TWILIO_API_KEY_SID',
  'twilio.apiKeySecret': 'TWILIO_API_KEY_SECRET',
  'twilio.twimlAppSid': 'TWILIO_TWIML_APP_SID',
  'twilio.restBaseUrl': 'TWILIO_REST_BASE_URL',
  'twilio.restCaPem': 'TWILIO_REST_CA_PEM',
  'twilio.accessTokenTtlSeconds': 'TWILIO_TOKEN_TTL_SECONDS',
  'twoFactor.smtp.host': 'SMTP_HOST',
  'twoFactor.smtp.port': 'SMTP_PORT',
  'twoFactor.smtp.secure': 'SMTP_SECURE',
  'twoFactor.smtp.user': 'SMTP_USER',
  'twoFactor.smtp.pass': 'SMTP_PASS',
  'twoFactor.mailFrom': 'MAIL_FROM',
  'twoFactor.smsFrom': 'TWILIO_SMS_FROM',
  'automation.workers': 'CLOUD_WORKERS',
  'automation.concurrency': 'AUTOMATION_CONCURRENCY',
  'automation.leaseSeconds': 'AUTOMATION_LEASE_SECONDS',
  'automation.retryLimit': 'AUTOMATION_RETRY_LIMIT',
  'automation.superviseIntervalSeconds': 'AUTOMATION_SUPERVISE_SECONDS',
  'automation.poolSize': 'AUTOMATION_POOL_SIZE',
  'automation.slackApiUrl': 'SLACK_API_URL',
  'integrations.slack.clientId': 'SLACK_CLIENT_ID',
  'integrations.slack.clientSecret': 'SLACK_CLIENT_SECRET',
  'integrations.slack.authorizeUrl': 'SLACK_AUTHORIZE_URL',
  secretsKey: 'CLOUD_SECRETS_KEY',
  'ai.brain': 'AI_BRAIN',
  'ai.baseUrl': 'AI_BASE_URL',
  'ai.model': 'AI_MODEL',
  'ai.apiKey': 'AI_API_KEY',
  'ai.timeoutMs': 'AI_TIMEOUT_MS',
  'dns.servers': 'DNS_SERVERS',
  'dns.timeoutMs': 'DNS_TIMEOUT_MS',
  'load.poolSize': 'DB_POOL_SIZE',
  'load.webhookPoolSize': 'DB_WEBHOOK_POOL_SIZE',
  'load.webhook.concurrency': 'WEBHOOK_CONCURRENCY',
  'load.webhook.maxQueue': 'WEBHOOK_MAX_QUEUE',
  'load.webhook.maxWaitMs': 'WEBHOOK_MAX_WAIT_MS',
};
function issueName(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  // The variable of the field or of the list it belongs to (trustProxy.1 → TRUST_PROXY).
  for (let n = path.length; n > 0; n--) {
    const env = envNames[path.slice(0, n).map(String).join('.')];
    if (env) return `${env} (${key})`;
  }
  return key || 'config';
}

function envInt(env: Readonly<Record<string, string | undefined>>, name: string): number | string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
function envBool(env: NodeJS.ProcessEnv, name: string): boolean | string | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  return raw;
}
const str = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

/**
 * The AI service from AI_BRAIN, AI_BASE_URL, AI_MODEL, AI_API_KEY and AI_TIMEOUT_MS: the cloud
 * server's and the desktop's embedded default's one reading of them. An endpoint without an explicit
 * brain means "use it"; neither gives `brainWhenUnset` (the server's `none`; the embedded default
 * passes `scripted`, its offline agents). Invalid values throw a ConfigError naming the variable.
 */
export function aiSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, brainWhenUnset: 'none' | 'scripted' = 'none'): CloudConfig['ai'] {
  const result = aiSchema.safeParse({
    brain: str(env, 'AI_BRAIN') ?? (str(env, 'AI_BASE_URL') ? 'openai' : brainWhenUnset),
    baseUrl: str(env, 'AI_BASE_URL'),
    model: str(env, 'AI_MODEL'),
    apiKey: str(env, 'AI_API_KEY'),
    timeoutMs: envInt(env, 'AI_TIMEOUT_MS'),
  });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issueName(['ai', ...issue.path])}: ${issue.message}`);
    throw new ConfigError(`Invalid AI service environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads the configuration from environment variables (see README.md for the list). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  if (str(env, 'CLOUD_JWT_SECRET')) {
    throw new ConfigError('Invalid cloud API environment:\n  - CLOUD_JWT_SECRET: replaced by CLOUD_KEYS / CLOUD_KEYS_FILE (keys with ids, rotation); see src/cloud/README.md "Security model"');
  }
  // Never implied by missing credentials: a production start without them must fail, not go sandbox.
  const sandbox = envBool(env, 'CLOUD_SANDBOX') ?? false;
  const fallback = sandbox === true ? SANDBOX_TWILIO_CREDENTIALS : undefined;
  return parseConfig(
    {
      host: str(env, 'HOST'),
      port: envInt(env, 'PORT'),
      databaseUrl: str(env, 'DATABASE_URL'),
      dataDir: str(env, 'CLOUD_DATA_DIR'),
      publicUrl: str(env, 'CLOUD_PUBLIC_URL'),
      sandbox,
      keys: str(env, 'CLOUD_KEYS'),
      keysFile: str(env, 'CLOUD_KEYS_FILE'),
      trustProxy: str(env, 'TRUST_PROXY')?.split(',').map((entry) => entry.trim()).filter(Boolean),
      linkClickLimit: envInt(env, 'LINK_CLICK_LIMIT'),
      linkClickWindowSeconds: envInt(env, 'LINK_CLICK_WINDOW_SECONDS'),
      logLevel: str(env, 'LOG_LEVEL'),
      twilio: {
        accountSid: str(env, 'TWILIO_ACCOUNT_SID') ?? fallback?.accountSid,
        authToken: str(env, 'TWILIO_AUTH_TOKEN') ?? fallback?.authToken,
        apiKeySid: str(env, 'TWILIO_API_KEY_SID') ?? fallback?.apiKeySid,
        apiKeySecret: str(env, 'TWILIO_API_KEY_SECRET') ?? fallback?.apiKeySecret,
        twimlAppSid: str(env, 'TWILIO_TWIML_APP_SID') ?? fallback?.twimlAppSid,
        restBaseUrl: str(env, 'TWILIO_REST_BASE_URL'),
        restCaPem: str(env, 'TWILIO_REST_CA_PEM'),
        accessTokenTtlSeconds: envInt(env, 'TWILIO_TOKEN_TTL_SECONDS'),
      },
      twoFactor: {
        smtp: str(env, 'SMTP_HOST')
          ? { host: str(env, 'SMTP_HOST'), port: envInt(env, 'SMTP_PORT'), secure: envBool(env, 'SMTP_SECURE'), user: str(env, 'SMTP_USER'), pass: str(env, 'SMTP_PASS') }
          : undefined,
        mailFrom: str(env, 'MAIL_FROM'),
        smsFrom: str(env, 'TWILIO_SMS_FROM'),
      },
      automation: {
        workers: envBool(env, 'CLOUD_WORKERS'),
        concurrency: envInt(env, 'AUTOMATION_CONCURRENCY'),
        leaseSeconds: envInt(env, 'AUTOMATION_LEASE_SECONDS'),
        retryLimit: envInt(env, 'AUTOMATION_RETRY_LIMIT'),
        superviseIntervalSeconds: envInt(env, 'AUTOMATION_SUPERVISE_SECONDS'),
        poolSize: envInt(env, 'AUTOMATION_POOL_SIZE'),
        slackApiUrl: str(env, 'SLACK_API_URL'),
      },
      integrations: {
        slack:
          str(env, 'SLACK_CLIENT_ID') || str(env, 'SLACK_CLIENT_SECRET')
            ? { clientId: str(env, 'SLACK_CLIENT_ID'), clientSecret: str(env, 'SLACK_CLIENT_SECRET'), authorizeUrl: str(env, 'SLACK_AUTHORIZE_URL') }
            : undefined,
      },
      secretsKey: str(env, 'CLOUD_SECRETS_KEY'),
      ai: aiSettingsFromEnv(env),
      dns: { servers: str(env, 'DNS_SERVERS')?.split(',').map((entry) => entry.trim()).filter(Boolean), timeoutMs: envInt(env, 'DNS_TIMEOUT_MS') },
      load: {
        poolSize: envInt(env, 'DB_POOL_SIZE'),
        webhookPoolSize: envInt(env, 'DB_WEBHOOK_POOL_SIZE'),
        webhook: { concurrency: envInt(env, 'WEBHOOK_CONCURRENCY'), maxQueue: envInt(env, 'WEBHOOK_MAX_QUEUE'), maxWaitMs: envInt(env, 'WEBHOOK_MAX_WAIT_MS') },
      },
    },
    'environment',
  );
}

/** Sandbox defaults plus overrides: what tests and the embedded desktop default use. */
export function sandboxConfig(overrides: Partial<Omit<CloudConfigInput, 'twilio'>> & { twilio?: Partial<CloudConfigInput['twilio']> } = {}): CloudConfig {
  const { twilio, ...rest } = overrides;
  return parseConfig({ sandbox: true, port: 0, ...rest, twilio: { ...SANDBOX_TWILIO_CREDENTIALS, ...twilio } });
}

/** What `npm run cloud:seed` needs (storage and password cost): no Twilio credentials required to seed. */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<CloudConfig, 'databaseUrl' | 'dataDir' | 'argon2'> {
  const result = cloudConfigSchema.pick({ databaseUrl: true, dataDir: true, argon2: true }).safeParse({ databaseUrl: str(env, 'DATABASE_URL'), dataDir: str(env, 'CLOUD_DATA_DIR') });
  if (!result.success) {
    throw new ConfigError(`Invalid cloud API environment:\n${result.error.issues.map((issue) => `  - ${issueName(issue.path)}: ${issue.message}`).join('\n')}`);
  }
  return result.data;
}
