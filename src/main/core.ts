import type { AppInfo } from '../shared/ipc';
import { TWILIO_EDGE_ORIGINS } from '../shared/security/csp';
import { resolveCloudTarget, type CloudTarget } from './config/cloud-target';
import { createRendererEvents, type RendererEvents } from './events';
import { createIpcRouter, type IpcRouter, type SenderPolicy } from './ipc/router';
import { createAppHandlers, type HostPort } from './services/app-handlers';
import { NoticeBoard } from './services/notice-board';

export interface CoreOptions {
  host: HostPort;
  appVersion: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  isTrustedSender: SenderPolicy;
  log?: (message: string, error?: unknown) => void;
}

export interface Core {
  router: IpcRouter;
  events: RendererEvents;
  notices: NoticeBoard;
  cloud: CloudTarget;
  /** Origins the renderer may connect to, for the CSP. */
  connectOrigins(): string[];
  dispose(): Promise<void>;
}

/**
 * The main-process services, independent of Electron: the Electron composition root
 * (src/main/index.ts) and the browser host both build exactly this, with their own host port.
 */
export function createCore(options: CoreOptions): Core {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  const events = createRendererEvents((event, error) => log(`Dropped an invalid ${event} event`, error));
  const notices = new NoticeBoard(events);
  const cloud = resolveCloudTarget(options.env);

  const appInfo = (): AppInfo => ({
    name: 'Aesthetix Softphone',
    version: options.appVersion,
    host: options.host.kind,
    platform: options.platform,
    cloud: cloud.mode === 'remote' ? { mode: 'remote', url: cloud.url } : { mode: 'embedded', url: '' },
  });

  const router = createIpcRouter(
    { ...createAppHandlers({ host: options.host, notices, appInfo }) },
    { isTrustedSender: options.isTrustedSender, onError: (channel, error) => log(`IPC ${channel} failed`, error) },
  );

  return {
    router,
    events,
    notices,
    cloud,
    connectOrigins: () => (cloud.mode === 'remote' ? [cloud.url, ...TWILIO_EDGE_ORIGINS] : []),
    dispose: async () => {},
  };
}
