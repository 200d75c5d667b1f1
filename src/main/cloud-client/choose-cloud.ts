import type { Notice } from '../../shared/ipc';
import type { EmbeddedStack, StartEmbeddedStack } from '../embedded';
import { resolveCloudTarget, type CloudTarget } from './cloud-target';
import { connectOriginsFor } from './endpoints';

export interface ChosenCloud {
  target: CloudTarget;
  /** The cloud API's base URL: the configured one, or the embedded cloud's. */
  url: string;
  embedded: EmbeddedStack | undefined;
}

/**
 * The cloud this run talks to: the configured URL, else the embedded cloud API and Twilio sandbox
 * (started here). An invalid URL is a notice, and the run falls back to the embedded default.
 */
export async function chooseCloud(options: {
  env: Readonly<Record<string, string | undefined>>;
  settingsUrl: string | null;
  startEmbedded: StartEmbeddedStack | undefined;
  embeddedDataDir: string;
  notify: (notice: Notice) => void;
  log: (message: string, error?: unknown) => void;
  /** Told the renderer's connect origins (the CSP's) as soon as they are known, before the embedded stack has started. */
  onConnectOrigins?: (origins: string[]) => void;
}): Promise<ChosenCloud> {
  let target: CloudTarget;
  try {
    target = resolveCloudTarget(options.env, options.settingsUrl);
  } catch (error) {
    options.notify({ id: 'cloud-url-invalid', level: 'error', message: (error as Error).message });
    target = { mode: 'embedded' };
  }
  if (target.mode === 'remote') {
    options.onConnectOrigins?.(connectOriginsFor(target.url, undefined));
    return { target, url: target.url, embedded: undefined };
  }
  if (!options.startEmbedded) throw new Error('No cloud URL is configured and this host cannot run the embedded cloud.');
  const { onConnectOrigins } = options;
  const embedded = await options.startEmbedded({
    dataDir: options.embeddedDataDir,
    log: options.log,
    env: options.env,
    ...(onConnectOrigins ? { onAddresses: (addresses) => onConnectOrigins(connectOriginsFor(addresses.cloudUrl, addresses)) } : {}),
  });
  for (const notice of embedded.notices ?? []) options.notify(notice);
  return { target, url: embedded.cloudUrl, embedded };
}
