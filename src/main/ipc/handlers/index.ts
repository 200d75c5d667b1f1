import { TEST_HOOKS_BUILT_IN, type AppInfo, type VoiceConfig } from '../../../shared/ipc';
import type { CallCache } from '../../cache/cache';
import type { CacheQueryWorker } from '../../cache/query-worker-client';
import type { CloudApi } from '../../cloud-client/cloud-client';
import type { EmbeddedStack } from '../../embedded';
import type { HostPort } from '../../hosts/host-port';
import type { AlertService } from '../../os/alerts';
import type { ExternalLinks } from '../../os/external-links';
import type { HotkeyService } from '../../os/hotkeys';
import type { CallActions } from '../../phone/call-actions';
import type { PhoneStateHub } from '../../phone/phone-state-hub';
import type { WrapUpService } from '../../phone/wrap-up-service';
import type { SessionService } from '../../session/session-service';
import type { VoiceTokenService } from '../../session/voice-token-service';
import type { SettingsService } from '../../settings/settings-service';
import type { SyncEngine } from '../../sync/sync-engine';
import type { NoticeBoard } from '../notice-board';
import type { IpcHandlers, NamespaceHandlers } from '../router';
import type { UnsavedWork } from '../unsaved-work';
import { agentsHandlers } from './agents';
import { appHandlers } from './app';
import { automationHandlers } from './automation';
import { callPolicyHandlers } from './call-policy';
import { callsHandlers } from './calls';
import { contactsHandlers } from './contacts';
import { demoHandlers } from './demo';
import { demoInboxHandlers } from './demo-inbox';
import { directoryHandlers } from './directory';
import { dispositionsHandlers } from './dispositions';
import { historyHandlers } from './history';
import { notificationsHandlers } from './notifications';
import { numbersHandlers } from './numbers';
import { outboxHandlers } from './outbox';
import { phoneHandlers } from './phone';
import { profileHandlers } from './profile';
import { reportsHandlers } from './reports';
import { searchHandlers } from './search';
import { sessionHandlers } from './session';
import { settingsHandlers } from './settings';
import { syncHandlers } from './sync';
import { tasksHandlers } from './tasks';
import { testHandlers, type TestHooks } from './test';
import { voiceHandlers } from './voice';
import { windowHandlers } from './window';
import { workflowSettingsHandlers } from './workflow-settings';
import { mediaHandlers } from './media';
import { wrapupsHandlers } from './wrapups';

/** The services the handlers call. Each handler file takes only the part it needs. */
export interface IpcHandlerDeps {
  host: HostPort;
  links: ExternalLinks;
  notices: NoticeBoard;
  appInfo: () => AppInfo;
  /** What the window holds unsaved, as it reports it (the quit guard reads it). */
  unsavedWork: Pick<UnsavedWork, 'report'>;
  cache: CallCache;
  queries: Pick<CacheQueryWorker, 'search' | 'history' | 'reportSummary' | 'reportRows' | 'reportCsv' | 'reportOptions'>;
  api: CloudApi;
  session: SessionService;
  sync: SyncEngine;
  settings: SettingsService;
  hotkeys: HotkeyService;
  voiceTokens: VoiceTokenService;
  voiceConfig: () => VoiceConfig;
  phoneHub: PhoneStateHub;
  /** OS notifications: a phone hotkey refused while the window is hidden. */
  alerts: Pick<AlertService, 'commandRefused'>;
  wrapUps: WrapUpService;
  callActions: CallActions;
  embedded: EmbeddedStack | undefined;
  /** The cache changed locally: views refresh at once, before any round trip. */
  onLocalChange: (entities: string[]) => void;
  /** Present only when NODE_ENV=test. */
  testHooks: TestHooks | undefined;
}

/** Every channel of the IPC contract, one handler file per namespace (the type fails to compile if one is missing). */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const kickSync = () => deps.sync.kick();
  return {
    ...appHandlers(deps),
    ...windowHandlers(deps),
    ...sessionHandlers(deps),
    ...syncHandlers(deps),
    ...outboxHandlers({
      ...deps,
      cloud: () => {
        const cloud = deps.appInfo().cloud;
        return cloud.mode === 'embedded' ? 'embedded' : new URL(cloud.url).origin;
      },
    }),
    ...settingsHandlers({
      ...deps,
      runningCloud: () => {
        const cloud = deps.appInfo().cloud;
        return cloud.mode === 'embedded' ? 'the demo practice (on this computer)' : new URL(cloud.url).host;
      },
    }),
    ...voiceHandlers(deps),
    ...phoneHandlers(deps),
    ...directoryHandlers(deps),
    ...contactsHandlers({ ...deps, kickSync }),
    ...searchHandlers(deps),
    ...historyHandlers(deps),
    ...dispositionsHandlers({ ...deps, kickSync }),
    ...notificationsHandlers({ ...deps, kickSync }),
    ...tasksHandlers({ ...deps, kickSync }),
    ...automationHandlers(deps),
    ...workflowSettingsHandlers(deps),
    ...mediaHandlers(deps),
    ...wrapupsHandlers(deps),
    ...callsHandlers(deps),
    ...profileHandlers(deps),
    ...numbersHandlers({ ...deps, kickSync }),
    ...reportsHandlers({ ...deps, kickSync }),
    ...agentsHandlers(deps),
    ...demoHandlers(deps),
    ...demoInboxHandlers(deps),
    ...callPolicyHandlers(deps),
    // Compiled out of production bundles with the test channels themselves.
    ...(TEST_HOOKS_BUILT_IN ? testHandlers(deps.testHooks) : ({} as NamespaceHandlers<'test'>)),
  };
}
