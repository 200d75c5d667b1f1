import { join } from 'node:path';
import type { PhoneCommand, PhoneStateReport } from '../../shared/ipc';
import type { SyncStatus } from '../../shared/ipc/sync-status';
import { openCache } from '../cache/cache';
import { cacheRecoveryNotice } from '../cache/recovery-notice';
import { lazyCacheQueryWorker } from '../cache/lazy-query-worker';
import { createCacheQueryWorker } from '../cache/query-worker-client';
import { systemClock } from '../os/system-clock';
import { chooseCloud } from '../cloud-client/choose-cloud';
import { discardEarlyDatabase, embeddedDataDir } from '../embedded/early-database';
import { createCloudClient } from '../cloud-client/cloud-client';
import { CloudLink } from '../cloud-client/cloud-link';
import { connectOriginsFor, voiceConfigFor } from '../cloud-client/endpoints';
import { appInfoFor } from '../hosts/app-info';
import { createIpcHandlers } from '../ipc/handlers';
import { createTestHooks } from '../ipc/handlers/test';
import { NoticeBoard } from '../ipc/notice-board';
import { createRendererEvents } from '../ipc/renderer-events';
import { createIpcRouter } from '../ipc/router';
import { UnsavedWork } from '../ipc/unsaved-work';
import { AlertService } from '../os/alerts';
import { alertClickTarget, createExternalLinks } from '../os/external-links';
import { HotkeyService, type HotkeyCommand } from '../os/hotkeys';
import { NotificationAlerts } from '../os/notification-alerts';
import { numberFromTelLink } from '../os/tel-links';
import { trayMenuAction } from '../os/tray-menu';
import { recoverOnWake } from '../os/wake-recovery';
import { createCallActions } from '../phone/call-actions';
import { CallerId } from '../phone/caller-id';
import { routeHotkey } from '../phone/hotkey-router';
import { PhoneStateHub } from '../phone/phone-state-hub';
import { RingingAlert } from '../phone/ringing-alert';
import { WrapUpService } from '../phone/wrap-up-service';
import { SessionService } from '../session/session-service';
import { followSignIn, resumeSession } from '../session/sign-in-lifecycle';
import { startupTrace } from './startup-trace';
import { VoiceTokenService } from '../session/voice-token-service';
import { applySettings } from '../settings/apply-settings';
import { cloudUrlToUse } from '../settings/last-known-cloud';
import { createSettingsFile } from '../settings/settings-file';
import { SettingsService } from '../settings/settings-service';
import { cacheSyncStore } from '../sync/cache-sync-store';
import { dispatchRealtime } from '../sync/realtime-dispatch';
import { RealtimeClient } from '../sync/realtime-client';
import { onRejectedChange } from '../sync/rejected-changes';
import { SyncEngine } from '../sync/sync-engine';
import { Listeners } from './listeners';
import { endStartTiering } from './start-tiering';
import type { Core, CoreOptions } from './types';

export type { Core, CoreOptions, CorePorts } from './types';

/** Ringing or on a call: the wrap-up's digit hotkeys wait, and a quit goes on without asking (hosts/quit-guard.ts). */
const isPhoneBusy = (report: PhoneStateReport) => report.call === 'ringing' || report.call === 'in-call';

/** After the phone first registers, the page still paints "Ready for calls": V8 optimises again after this. */
const PHONE_READY_SETTLE_MS = 500;

/**
 * The main-process services, independent of Electron: the Electron composition root
 * (src/main/hosts/electron/main.ts) and the browser host (src/main/hosts/browser/main.ts) both build
 * exactly this, with their own ports. Wiring only: each service is built after the ones it uses;
 * what a service must tell one built later goes through a `Listeners` connected below it.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  const clock = options.clock ?? systemClock;
  const { host, ports } = options;

  const events = createRendererEvents((event, error) => log(`Dropped an invalid ${event} event`, error));
  const notices = new NoticeBoard(events);
  for (const notice of options.startupNotices ?? []) notices.post(notice);
  const notify = notices.post.bind(notices);
  const settings = new SettingsService(createSettingsFile(options.userDataDir, ports.settingsStore), notices);
  settings.load();

  const cacheFile = join(options.userDataDir, 'cache.sqlite');
  // A listener's failure is its own: logged, and the other listeners and the emitter go on.
  const listenerFailed = (what: string) => (error: unknown) => log(`Something went wrong handling ${what}`, error);
  const diskFull = new Listeners<boolean>(listenerFailed('a disk-full report'));
  const cache = openCache({ file: cacheFile, nativeBinding: options.sqliteBinding, onDiskFull: diskFull.emit });
  if (cache.recovery) notify(cacheRecoveryNotice(cache.recovery));
  // A start that fails here is told to the receptionist with a Retry (hosts/start-failure.ts): the
  // next attempt opens the cache again, so this one must let go of it.
  const cloud = await chooseCloud({
    env: options.env,
    settingsUrl: cloudUrlToUse({ settings, lastSignedInCloud: cache.session.owner()?.cloud, notify }),
    startEmbedded: options.startEmbedded,
    embeddedDataDir: embeddedDataDir(options.userDataDir),
    notify,
    log,
    ...(options.onConnectOrigins ? { onConnectOrigins: options.onConnectOrigins } : {}),
  }).catch((error: unknown) => {
    cache.close();
    throw error;
  });
  const { embedded } = cloud;
  // Opened early by the host's entry in case this run is the embedded default: a remote run closes it.
  if (!embedded) void discardEarlyDatabase();
  const cloudLink = new CloudLink();
  const api = createCloudClient({ baseUrl: cloud.url, fetch: cloudLink.fetch });

  // Search, history and reports: on a worker thread of their own, started by the first such query.
  const queries = lazyCacheQueryWorker(() => createCacheQueryWorker({ file: cacheFile, nativeBinding: options.sqliteBinding }));
  const cloudOwner = cloud.target.mode === 'embedded' ? 'embedded' : new URL(cloud.url).origin;
  const session = new SessionService({
    cloud: api,
    vault: ports.vault,
    clock,
    deviceName: options.deviceName ?? 'Aesthetix Softphone',
    // An offline start resumes the person this cache belongs to, on this same cloud only.
    cachedUser: () => (cache.session.owner()?.cloud === cloudOwner ? (cache.session.user() ?? undefined) : undefined),
  });
  const voiceTokens = new VoiceTokenService({
    session,
    cloud: api,
    clock,
    onToken: (token) => events.emit('voice.token', token),
    onError: (error) => log('Could not fetch a Twilio token', error),
  });

  // Told by services built before their listeners (connected below, once those exist).
  const syncStatus = new Listeners<SyncStatus>(listenerFailed('a sync status'));
  const pulled = new Listeners<string[]>(listenerFailed('the changes of a pull'));
  const hotkeyPressed = new Listeners<HotkeyCommand>(listenerFailed('a hotkey'));
  // A change written on this computer (a disposition, an alert marked read, a task finished).
  const localChange = new Listeners<string[]>(listenerFailed('a local change'));
  // The phone's state as the window reports it (the host's quit guard follows it).
  const phoneReported = new Listeners<PhoneStateReport>(listenerFailed('a phone report'));
  // What the windows hold unsaved, as they report it (the host's quit guard follows it).
  const unsavedChanged = new Listeners<void>(listenerFailed('an unsaved-edits report'));
  const unsavedWork = new UnsavedWork(() => unsavedChanged.emit());

  const sync = new SyncEngine({
    store: cacheSyncStore(cache),
    cloud: api,
    session,
    clock,
    onStatus: syncStatus.emit,
    onRejected: onRejectedChange({ notify }),
    onPulled: pulled.emit,
    log,
  });
  const hotkeys = new HotkeyService(ports.hotkeys, hotkeyPressed.emit);
  const links = createExternalLinks({ cloudUrl: cloud.url, localOrigins: embedded?.linkOrigins ?? [], openExternal: (href) => host.openExternal(href), log: (message) => log(message) });
  const alerts = new AlertService({
    port: ports.notifications,
    settings: () => settings.get(),
    onOpen: (redirect) => {
      const target = alertClickTarget(redirect, links);
      if (target.kind === 'open-link') return void links.open(target.href);
      host.showWindow();
      events.emit('navigate.to', { redirect: target.redirect });
    },
    isWindowVisible: () => host.isWindowVisible(),
  });
  const onLocalChange = localChange.emit;
  localChange.add((entities) => events.emit('cache.changed', { entities }));
  const phoneCommand = (command: PhoneCommand) => events.emit('phone.command', command);

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
  const interrupted = wrapUps.commitInterruptedChoices();
  if (interrupted > 0) {
    notify({ id: 'wrapups-interrupted', level: 'info', message: `${interrupted === 1 ? 'A disposition' : `${interrupted} dispositions`} chosen just before the softphone closed ${interrupted === 1 ? 'was' : 'were'} saved.` });
  }
  const callerId = new CallerId({ findByPhone: (number) => cache.contacts.findByPhone(number) });
  const ringingAlert = new RingingAlert({ alerts, callerId });
  const phoneHub = new PhoneStateHub({
    tray: ports.tray,
    callerId,
    onMenu: trayMenuAction({ host, navigate: (redirect) => events.emit('navigate.to', { redirect }), phoneCommand }),
    onReport: (report) => {
      ringingAlert.onReport(report);
      wrapUps.setPhoneBusy(isPhoneBusy(report));
      phoneReported.emit(report);
      // The start is over once the phone is ready: V8 optimises as usual again (start-tiering.ts).
      if (report.registration === 'registered') endStartTiering('the phone is ready', PHONE_READY_SETTLE_MS);
    },
  });
  const notificationAlerts = new NotificationAlerts({ cache, alerts, sessionStartedAt: clock.now(), onUnread: (count) => phoneHub.setUnread(count) });
  const onHotkey = routeHotkey({ showWindow: () => void host.showWindow(), wrapUps, phoneCommand, taskCommand: (kind) => events.emit('tasks.command', { kind }) });

  hotkeyPressed.add(onHotkey);
  diskFull.add((full) => sync.setDiskFull(full));
  syncStatus.add((status) => {
    events.emit('sync.status', status);
    phoneHub.setSyncOnline(status.state !== 'offline');
  });
  const refreshOpenTasks = () => phoneHub.setOpenTasks(cache.tasks.openCount());
  // One listener each: a wrap-up that cannot commit must not keep the views, the alerts or the tray from this pull.
  pulled.add((entities) => wrapUps.afterPull(entities));
  pulled.add((entities) => events.emit('cache.changed', { entities }));
  pulled.add((entities) => notificationAlerts.afterPull(entities));
  pulled.add((entities) => {
    if (entities.includes('tasks')) refreshOpenTasks();
  });
  // The tray's counts follow the receptionist's own actions at once, not only the next pull (offline too).
  localChange.add((entities) => {
    if (entities.includes('notifications')) notificationAlerts.refreshUnread();
  });
  localChange.add((entities) => {
    if (entities.includes('tasks')) refreshOpenTasks();
  });

  const realtime = new RealtimeClient({
    url: () => cloudLink.realtimeUrl(api.realtimeUrl()),
    accessToken: () => session.getAccessToken(),
    clock,
    onState: (state) => {
      if (state === 'connected') {
        sync.connectionRestored();
        // The phone registers as soon as a Twilio token can be had (e.g. after an offline start).
        if (!voiceTokens.token) void voiceTokens.refreshNow().catch(() => undefined);
      }
    },
    onMessage: dispatchRealtime({
      changed: (cursor) => sync.poked(cursor),
      incomingCall: (call) => {
        callerId.remember(call);
        events.emit('call.incoming', call);
        ringingAlert.onScreenPop();
        phoneHub.render();
      },
      notification: (notification) => notificationAlerts.fromRealtime(notification),
      sessionRevoked: () => void session.endedElsewhere(),
    }),
  });

  const stopSettings = applySettings({ settings, hotkeys, loginItem: ports.loginItem, notices });
  const stopWake = recoverOnWake({ power: ports.power, onWake: (payload) => events.emit('phone.wake', payload), sync, realtime, voiceTokens });
  const stopSignIn = followSignIn({
    session,
    cache,
    cloud: cloudOwner,
    sync,
    realtime,
    voiceTokens,
    onSessionChanged: (view) => events.emit('session.changed', view),
    onSignedIn: () => {
      notificationAlerts.refreshUnread();
      refreshOpenTasks();
    },
  });

  const voiceConfig = () => voiceConfigFor(embedded);
  const router = createIpcRouter(
    createIpcHandlers({
      host,
      links,
      notices,
      unsavedWork,
      appInfo: () => appInfoFor({ host, appVersion: options.appVersion, platform: options.platform, cloud }),
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
      alerts,
      wrapUps,
      callActions: createCallActions({ cache, api, session, sync }),
      embedded,
      onLocalChange,
      testHooks: createTestHooks({ env: options.env, pressHotkey: onHotkey, cloudLink, realtime, sync }),
    }),
    { isTrustedSender: options.isTrustedSender, onError: (channel, error, reference) => log(`IPC ${channel} failed (${reference})`, error) },
  );

  startupTrace('core services built');
  const resumed = await resumeSession({ session, demoSignIn: embedded?.demoSignIn, notify, log });
  startupTrace('session resumed');
  // Not when the cloud did not answer at start: the token then waits for the connection.
  if (resumed === 'online' && options.firstTokenWaitMs) await voiceTokens.settled(options.firstTokenWaitMs);

  return {
    router,
    events,
    notices,
    cloud: cloud.target,
    cache,
    session,
    sync,
    settings,
    embedded,
    links,
    connectOrigins: () => connectOriginsFor(cloud.url, embedded),
    voiceConfig,
    quit: {
      phoneBusy: () => isPhoneBusy(phoneHub.state),
      unsaved: () => unsavedWork.names(),
      onUnsavedChanged: (listener) => unsavedChanged.add(listener),
      windowGone: (windowId) => unsavedWork.forget(windowId),
      keepEditing: () => {
        host.showWindow();
        events.emit('app.keepEditing', {});
      },
      onPhoneChanged: (listener) => phoneReported.add(() => listener()),
    },
    openTelLink(link) {
      const number = numberFromTelLink(link);
      if (!number) return false;
      host.showWindow();
      events.emit('dialer.prefill', { number });
      return true;
    },
    async dispose() {
      stopSignIn();
      stopWake();
      stopSettings();
      wrapUps.dispose();
      hotkeys.dispose();
      await sync.stop();
      realtime.stop();
      voiceTokens.stop();
      ports.tray?.destroy();
      await queries.close();
      cache.close();
      await embedded?.stop();
    },
  };
}
