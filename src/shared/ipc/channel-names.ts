import { TEST_HOOKS_BUILT_IN } from './test-build';

/**
 * The contract's channel and event names, without its schemas. `createBridge` needs only the
 * names, and it runs on the page's way to "Ready for calls": importing the contract built every
 * zod schema of the app there (the contract and each feature's, with all of zod), about a tenth of
 * the page's start (issue #21). contract.ts checks at compile time that these are exactly its own
 * names, so a channel added to a feature's map and not here fails `npm run typecheck`.
 */
const CORE_CHANNEL_NAMES = [
  'app.getInfo', 'app.openExternal', 'app.listNotices', 'app.dismissNotice', 'app.reportUnsaved',
  'window.show',
  'session.getState', 'session.signIn', 'session.signOut',
  'sync.getStatus', 'sync.now',
  'settings.get', 'settings.update', 'settings.changeCloud',
  'voice.getConfig', 'voice.getToken',
  'phone.reportState', 'phone.commandRefused',
  'directory.get',
  'contacts.lookup', 'contacts.get', 'contacts.assign',
  'search.query',
  'history.list',
  'dispositions.list', 'dispositions.admin',
  'notifications.list', 'notifications.markRead', 'notifications.markAllRead',
  'wrapups.getState', 'wrapups.start', 'wrapups.choose', 'wrapups.undo', 'wrapups.setNote', 'wrapups.dismiss', 'wrapups.setLocation',
  'calls.action',
  'demo.simulateCall', 'demo.publishDnsRecords',
  'profile.getVerification', 'profile.startPhoneChange', 'profile.startChannelVerification', 'profile.startTotpStepUp', 'profile.resend', 'profile.verify', 'profile.cancel', 'profile.beginTotp', 'profile.cancelHeld', 'profile.confirmTotp',
  'numbers.overview', 'numbers.search', 'numbers.buy', 'numbers.update', 'numbers.delete', 'numbers.deleted', 'numbers.restore', 'numbers.releaseHeld', 'numbers.requests', 'numbers.createRequest', 'numbers.cancelRequest', 'numbers.setInboundNumber', 'numbers.mine',
  'outbox.listUnsent', 'outbox.dismissRefused', 'outbox.exportUnsent',
  'reports.options', 'reports.summary', 'reports.rows', 'reports.exportCsv',
  'teams.overview', 'teams.create', 'teams.update', 'teams.setMembers', 'teams.delete',
  'agents.list', 'agents.options', 'agents.create', 'agents.update', 'agents.delete', 'agents.addAction', 'agents.updateAction', 'agents.deleteAction',
  'tasks.list', 'tasks.act',
  'automation.list', 'automation.get', 'automation.create', 'automation.duplicate', 'automation.save', 'automation.publish', 'automation.pause', 'automation.delete', 'automation.options', 'automation.dryRun', 'automation.runs', 'automation.log', 'automation.statistics', 'automation.testEmail', 'automation.testSms', 'automation.testSlack', 'automation.aiWriteStatus', 'automation.writeWithAi', 'automation.enrol',
  'automation.statisticRecipients',
  'workflowSettings.templates', 'workflowSettings.createTemplate', 'workflowSettings.updateTemplate', 'workflowSettings.deleteTemplate', 'workflowSettings.templateUsage',
  'workflowSettings.slackConnections', 'workflowSettings.slackConnect', 'workflowSettings.slackDisconnect', 'workflowSettings.slackMembers', 'workflowSettings.slackChannels',
  'workflowSettings.automation', 'workflowSettings.updateAutomation', 'workflowSettings.reputation', 'workflowSettings.updateReputation',
  'workflowSettings.whatsApp', 'workflowSettings.setWhatsAppSender', 'workflowSettings.refreshWhatsAppTemplates', 'workflowSettings.issueWebhookSecret',
  'workflowSettings.triggerLinks', 'workflowSettings.createTriggerLink', 'workflowSettings.updateTriggerLink', 'workflowSettings.deleteTriggerLink',
  'workflowSettings.triggerLinkUsage', 'workflowSettings.triggerLinkClicks',
  'workflowSettings.sendingDomains', 'workflowSettings.addSendingDomain', 'workflowSettings.verifySendingDomain', 'workflowSettings.removeSendingDomain',
  'workflowSettings.inboundEmail', 'workflowSettings.rotateInboundEmailSecret',
  'media.list', 'media.usage', 'media.uploadStart', 'media.uploadChunk', 'media.uploadFinish', 'media.uploadCancel', 'media.delete',
  'demoInbox.list', 'demoInbox.reply',
  'callPolicy.get', 'callPolicy.update',
] as const;

/** The E2E suite's hooks (contract.ts's testChannels): only in builds with TEST_HOOKS_BUILT_IN. */
const TEST_CHANNEL_NAMES = ['test.setCloudReachable', 'test.pressHotkey'] as const;

/** A name listed here (contract.ts: exactly its IpcChannel). */
export type ListedChannel = (typeof CORE_CHANNEL_NAMES)[number] | (typeof TEST_CHANNEL_NAMES)[number];

/** Every channel this build carries. */
export const IPC_CHANNEL_NAMES: readonly ListedChannel[] = TEST_HOOKS_BUILT_IN ? [...CORE_CHANNEL_NAMES, ...TEST_CHANNEL_NAMES] : CORE_CHANNEL_NAMES;

export const IPC_EVENT_NAMES = [
  'app.notice', 'dialer.prefill', 'session.changed', 'sync.status', 'voice.token', 'phone.command', 'wrapups.changed',
  'wrapups.resolved', 'phone.wake', 'call.incoming', 'navigate.to', 'cache.changed', 'tasks.command',
  'app.keepEditing',
] as const;

/** A name listed here (contract.ts: exactly its IpcEventName). */
export type ListedEvent = (typeof IPC_EVENT_NAMES)[number];

const eventNames: ReadonlySet<string> = new Set(IPC_EVENT_NAMES);
export const isListedEvent = (name: string): name is ListedEvent => eventNames.has(name);
