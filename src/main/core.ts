import { join } from 'node:path';
import type { User } from '../shared/cloud';
import type { AppInfo, Notice, SessionStateView, VoiceConfig } from '../shared/ipc';
import { TWILIO_EDGE_ORIGINS } from '../shared/security/csp';
import type { Settings } from '../shared/settings';
import { openCache, type CallCache } from './cache/cache';
import { createCacheQueryWorker } from './cache/query-worker-client';
import { systemClock, type Clock } from './clock';
import { createCloudClient, type CloudApi } from './cloud-client/cloud-client';
import { resolveCloudTarget, type CloudTarget } from './cloud-client/cloud-target';
import { cacheSyncStore } from './sync/cache-sync-store';
import type { EmbeddedStack, StartEmbeddedStack } from './embedded';
import { createCallActions } from './phone/call-actions';
import { PhoneStateHub } from './phone/phone-state-hub';
import { CallerId } from './phone/caller-id';
import { RingingAlert } from './phone/ringing-alert';
import { WrapUpService } from './phone/wrap-up-service';
import { createRendererEvents, type RendererEvents } from './ipc/renderer-events';
import { createIpcRouter, type IpcRouter, type SenderPolicy } from './ipc/router';
import { AlertService } from './os/alerts';
import { HotkeyService, type HotkeyCommand } from './os/hotkeys';
import type { HotkeyPort, LoginItemPort, NotificationPort, PowerPort, TrayPort } from './os/ports';
import { numberFromTelLink } from './os/tel-links';
import type { HostPort } from './hosts/host-port';
import { createIpcHandlers } from './ipc/handlers';
import { NoticeBoard } from './ipc/notice-board';
import type { CredentialVault } from './session/credential-vault';
import { SessionService } from './session/session-service';
import { VoiceTokenService } from './session/voice-token-service';
import { createSettingsFile, type JsonStoreClass } from './settings/settings-file';
import { SettingsService } from './settings/settings-service';
import { RealtimeClient } from './sync/realtime-client';
import { SyncEngine } from './sync/sync-engine';

export interface CorePorts {
  vault: CredentialVault;
  settingsStore: JsonStoreClass;
  notifications: NotificationPort;
  hotkeys: HotkeyPort;
  loginItem: LoginItemPort;
  power: PowerPort;
  /** The browser host has no tray. */
  tray?: TrayPort;
}

export interface CoreOptions {
  host: HostPort;
  appVersion: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  isTrustedSender: SenderPolicy;
  userDataDir: string;
  ports: CorePorts;
  /** Starts the embedded cloud API + Twilio sandbox when no cloud URL is configured. */
  startEmbedded?: StartEmbeddedStack;
  /** Electron's build of better-sqlite3 (src/main/hosts/electron/native-bindings.ts). */
  sqliteBinding?: string;
  deviceName?: string;
  /** Things the host found before the core existed (e.g. no keychain): shown as notices. */
  startupNotices?: Notice[];
  clock?: Clock;
  log?: (message: string, error?: unknown) => void;
}

export interface Core {
  router: IpcRouter;
  events: RendererEvents;
  notices: NoticeBoard;
  cloud: CloudTarget;
  cache: CallCache;
  session: SessionService;
  sync: SyncEngine;
  settings: SettingsService;
  embedded: EmbeddedStack | undefined;
  /** Origins the renderer may connect to, for the CSP. */
  connectOrigins(): string[];
  voiceConfig(): VoiceConfig;
  /** A tel:/callto: link from the OS or a second launch: show the window with the dialer prefilled. */
  openTelLink(link: string): boolean;
  dispose(): Promise<void>;
}

export const sessionView = (state: SessionService['state']): SessionStateView => state;

/**
 * The main-process services, independent of Electron: the Electron composition root
 * (src/main/hosts/electron/main.ts) and the browser host (src/main/hosts/browser/main.ts) both build exactly this, with their own ports.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  const clock = options.clock ?? systemClock;
  const events = createRendererEvents((event, error) => log(`Dropped an invalid ${event} event`, error));
  const notices = new NoticeBoard(events);
  for (const notice of options.startupNotices ?? []) notices.post(notice);
  const settings = new SettingsService(createSettingsFile(options.userDataDir, options.ports.settingsStore), notices);
  settings.load();

  let cloud: CloudTarget;
  try {
    cloud = resolveCloudTarget(options.env, settings.get().cloudUrl);
  } catch (error) {
    notices.post({ id: 'cloud-url-invalid', level: 'error', message: (error as Error).message });
    cloud = { mode: 'embedded' };
  }

  let embedded: EmbeddedStack | undefined;
  if (cloud.mode === 'embedded') {
    if (!options.startEmbedded) throw new Error('No cloud URL is configured and this host cannot run the embedded cloud.');
    embedded = await options.startEmbedded({ dataDir: join(options.userDataDir, 'embedded'), log });
  }
  const cloudUrl = cloud.mode === 'remote' ? cloud.url : embedded!.cloudUrl;
  // Under NODE_ENV=test the E2E suite can cut the cloud off, as a dropped network would.
  const testHooks = options.env.NODE_ENV === 'test';
  let cloudReachable = true;
  const api: CloudApi = createCloudClient({
    baseUrl: cloudUrl,
    fetch: (input, init) => (cloudReachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed (the network is down)'))),
  });

  const cacheFile = join(options.userDataDir, 'cache.sqlite');
  const cache = openCache({ file: cacheFile, nativeBinding: options.sqliteBinding });
  const queries = createCacheQueryWorker({ file: cacheFile, nativeBinding: options.sqliteBinding });
  const session = new SessionService({ cloud: api, vault: options.ports.vault, clock, deviceName: options.deviceName ?? 'Aesthetix Softphone' });

  const voiceTokens = new VoiceTokenService({
    session,
    cloud: api,
    clock,
    onToken: (token) => events.emit('voice.token', token),
    onError: (error) => log('Could not fetch a Twilio token', error),
  });

  const sessionStartedAt = clock.now();
  const alerts = new AlertService({
    port: options.ports.notifications,
    settings: () => settings.get(),
    onOpen: (redirect) => {
      options.host.showWindow();
      events.emit('navigate.to', { redirect });
    },
    isWindowVisible: () => options.host.isWindowVisible(),
  });

  const sync = new SyncEngine({
    store: cacheSyncStore(cache),
    cloud: api,
    session,
    clock,
    onStatus: (status) => {
      events.emit('sync.status', status);
      phoneHub.setSyncOnline(status.state !== 'offline');
    },
    onRejected: (result) => {
      notices.post({ id: `rejected-${result.idempotencyKey}`, level: 'warning', message: `A change could not be saved: ${result.message}` });
      cache.outbox.dropRejected([result.idempotencyKey]);
    },
    onPulled: (entities) => {
      wrapUps.afterPull(entities);
      events.emit('cache.changed', { entities });
      if (entities.includes('notifications')) {
        for (const notification of cache.notifications.list({ unreadOnly: true, limit: 20 })) {
          if (Date.parse(notification.createdAt) >= sessionStartedAt - 60_000) alerts.notify(notification);
        }
        phoneHub.setUnread(cache.notifications.unreadCount());
      }
    },
  });

  const onLocalChange = (entities: string[]) => events.emit('cache.changed', { entities });
  const callerId = new CallerId({ findByPhone: (number) => cache.contacts.findByPhone(number) });
  const ringingAlert = new RingingAlert({ alerts, callerId });

  const realtime = new RealtimeClient({
    // Port 9 (discard) refuses connections: what an unreachable cloud looks like to the socket.
    url: () => (cloudReachable ? api.realtimeUrl() : 'ws://127.0.0.1:9/v1/realtime'),
    accessToken: () => session.getAccessToken(),
    clock,
    onMessage: (message) => {
      switch (message.type) {
        case 'hello':
        case 'changed':
          sync.kick();
          break;
        case 'incoming-call':
          callerId.remember(message.call);
          events.emit('call.incoming', message.call);
          ringingAlert.onScreenPop();
          phoneHub.render();
          break;
        case 'notification':
          alerts.notify(message.notification);
          sync.kick();
          break;
        case 'session-revoked':
          void session.signOut('This device was signed out from another session. Please sign in again.');
          break;
        case 'pong':
          break;
      }
    },
  });

  const onHotkey = (command: HotkeyCommand) => {
    if (command.kind === 'showWindow') options.host.showWindow();
    else if (command.kind === 'disposition') wrapUps.chooseByHotkey(command.index);
    else events.emit('phone.command', { kind: command.kind });
  };
  const hotkeys = new HotkeyService(options.ports.hotkeys, onHotkey);
  const applyHotkeys = (next: Settings) => {
    for (const status of hotkeys.apply(next.hotkeys)) {
      if (status.message) notices.post({ id: `hotkey-${status.id}`, level: 'warning', message: status.message });
      else notices.dismiss(`hotkey-${status.id}`);
    }
  };
  applyHotkeys(settings.get());

  const wrapUps = new WrapUpService({
    cache,
    clock,
    bindDispositionHotkeys: (slots) => hotkeys.setWrapUp(slots),
    onState: (state) => events.emit('wrapups.changed', state),
    onResolved: (resolved) => events.emit('wrapups.resolved', resolved),
    kickSync: () => sync.kick(),
    onLocalChange,
    log,
  });

  const phoneHub = new PhoneStateHub({
    tray: options.ports.tray,
    callerId,
    onReport: (report) => {
      ringingAlert.onReport(report);
      wrapUps.setPhoneBusy(report.call === 'ringing' || report.call === 'in-call');
    },
    onMenu: (id) => {
      switch (id) {
        case 'show':
          options.host.showWindow();
          break;
        case 'alerts':
          options.host.showWindow();
          events.emit('navigate.to', { redirect: 'alerts' });
          break;
        case 'quit':
          options.host.quit();
          break;
        default:
          events.emit('phone.command', { kind: id });
      }
    },
  });

  const applyLoginItem = (next: Settings) => {
    if (options.ports.loginItem.supported) options.ports.loginItem.set(next.startAtLogin);
  };
  applyLoginItem(settings.get());
  settings.onChange((next, previous) => {
    if (JSON.stringify(next.hotkeys) !== JSON.stringify(previous.hotkeys)) applyHotkeys(next);
    if (next.startAtLogin !== previous.startAtLogin) applyLoginItem(next);
    if (next.cloudUrl !== previous.cloudUrl) {
      notices.post({ id: 'cloud-url-changed', level: 'info', message: 'The new cloud address is used from the next start of the app.' });
    }
  });

  const stopWake = options.ports.power.onWake((reason) => {
    events.emit('phone.wake', { reason });
    sync.kick();
    realtime.reconnectNow();
    if (!voiceTokens.token) void voiceTokens.refreshNow().catch(() => undefined);
  });

  const onSignedIn = (user: User) => {
    const cachedUser = cache.session.user();
    if (cachedUser && cachedUser.id !== user.id) cache.clearUserData();
    cache.session.setUser(user);
    sync.start();
    realtime.start();
    void voiceTokens.start().catch(() => undefined);
    phoneHub.setUnread(cache.notifications.unreadCount());
  };
  session.onChange((state) => {
    events.emit('session.changed', sessionView(state));
    if (state.status === 'signed-in') onSignedIn(state.user);
    if (state.status === 'signed-out') {
      sync.stop();
      realtime.stop();
      voiceTokens.stop();
    }
  });

  const voiceConfig = (): VoiceConfig =>
    embedded ? { edge: 'sandbox', chunderw: embedded.edgeHost, eventgw: embedded.edgeHost } : { edge: 'twilio', chunderw: null, eventgw: null };

  const appInfo = (): AppInfo => ({
    name: 'Aesthetix Softphone',
    version: options.appVersion,
    host: options.host.kind,
    platform: options.platform,
    cloud: cloud.mode === 'remote' ? { mode: 'remote', url: cloud.url } : { mode: 'embedded', url: cloudUrl },
  });

  const router = createIpcRouter(
    createIpcHandlers({
      host: options.host,
      notices,
      appInfo,
      cache,
      queries,
      api,
      session,
      sync,
      settings,
      hotkeys,
      voiceTokens,
      voiceConfig,
      phoneHub,
      wrapUps,
      callActions: createCallActions({ cache, api, session, sync }),
      embedded,
      onLocalChange,
      testHooks: testHooks
        ? {
            pressHotkey: onHotkey,
            setCloudReachable: (reachable) => {
              cloudReachable = reachable;
              realtime.reconnectNow();
              sync.kick();
            },
          }
        : undefined,
    }),
    { isTrustedSender: options.isTrustedSender, onError: (channel, error) => log(`IPC ${channel} failed`, error) },
  );

  // Resume the keychain session; the embedded default signs the demo receptionist in.
  try {
    const restored = await session.restore();
    if (!restored && embedded) await session.signIn(embedded.demoLogin.email, embedded.demoLogin.password);
  } catch (error) {
    log('Could not resume the session', error);
    notices.post({ id: 'session-restore', level: 'warning', message: `Could not sign in automatically: ${(error as Error).message}` });
  }

  return {
    router,
    events,
    notices,
    cloud,
    cache,
    session,
    sync,
    settings,
    embedded,
    connectOrigins: () => (embedded ? [cloudUrl, `https://${embedded.edgeHost}`] : [cloudUrl, ...TWILIO_EDGE_ORIGINS]),
    voiceConfig,
    openTelLink(link) {
      const number = numberFromTelLink(link);
      if (!number) return false;
      options.host.showWindow();
      events.emit('dialer.prefill', { number });
      return true;
    },
    async dispose() {
      stopWake();
      wrapUps.dispose();
      hotkeys.dispose();
      sync.stop();
      realtime.stop();
      voiceTokens.stop();
      options.ports.tray?.destroy();
      await queries.close();
      cache.close();
      await embedded?.stop();
    },
  };
}
