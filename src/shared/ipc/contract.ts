import { z } from 'zod';
import { contactSchema, incomingCallSchema, userSchema } from '../cloud';
import { hotkeyCommandSchema, hotkeyStatusSchema } from './hotkeys';
import { settingsPatchSchema, settingsSchema } from '../settings';
import { syncStatusSchema } from './sync-status';
import { twoFactorChannels } from './contract-2fa';
import { demoInboxChannels } from './contract-demo-inbox';
import { localFirstChannels } from './contract-local-first';
import { numbersChannels } from './contract-numbers';
import { tasksChannels, tasksCommandSchema } from './contract-tasks';
import { reportsChannels } from './contract-reports';
import { automationChannels } from './contract-automation';
import { workflowSettingsChannels } from './contract-workflow-settings';
import { mediaChannels } from './contract-media';
import { agentsChannels } from './contract-agents';
import { callPolicyChannels } from './contract-call-policy';
import { quitChannels, quitEvents } from './contract-quit';
import { TEST_HOOKS_BUILT_IN } from './test-build';
import type { ListedChannel, ListedEvent } from './channel-names';
import {
  directorySchema,
  dispositionAdminSchema,
  dispositionsViewSchema,
  historyFiltersSchema,
  historyPageSchema,
  notificationsViewSchema,
  screenPopSchema,
  searchResultSchema,
  wrapupChooseSchema,
  wrapupNoteInputSchema,
  wrapupRefSchema,
  wrapupStartSchema,
  wrapUpResolvedSchema,
  wrapUpStateSchema,
} from './views';

/**
 * The one IPC contract between the renderer and the main process. Each channel maps to a zod
 * schema for its input and one for its result; each event pushed from main is typed the same way.
 * The preload, the browser-host bridge and main's handler registry are all generated from this map:
 * adding a channel here is the only way to add one (the checklist is "Adding an IPC channel" in src/main/README.md).
 *
 * Channel names are `namespace.method`; the bridge exposes them as `window.softphone.namespace.method()`.
 */

const noInput = z.undefined();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** The cloud API the app talks to; `embedded` when main runs the cloud API and sandbox itself. */
  cloud: z.object({ mode: z.enum(['embedded', 'remote']), url: z.string() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const externalUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Only http and https links can be opened');

export const noticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const sessionStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed-out'), reason: z.string().optional() }),
  z.object({ status: z.literal('signing-in') }),
  z.object({ status: z.literal('signed-in'), user: userSchema, sessionId: z.string() }),
]);
export type SessionStateView = z.infer<typeof sessionStateSchema>;

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter your work email address').max(254),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const settingsViewSchema = z.object({ settings: settingsSchema, hotkeys: z.array(hotkeyStatusSchema) });

/** Where the renderer's Twilio Device connects: the local sandbox (embedded default) or Twilio itself. */
export const voiceConfigSchema = z.object({
  edge: z.enum(['sandbox', 'twilio']),
  /** host:port of the sandbox's signaling edge; null for real Twilio. */
  chunderw: z.string().nullable(),
  eventgw: z.string().nullable(),
});
export type VoiceConfig = z.infer<typeof voiceConfigSchema>;

export const voiceTokenSchema = z.object({ token: z.string(), identity: z.string(), expiresAt: z.number() });
export type VoiceTokenView = z.infer<typeof voiceTokenSchema>;

/**
 * What only the renderer knows about the phone (the Voice SDK runs there): the device's registration,
 * the state of the call the report is about, the remote party as the SDK sees it, and mute. Main
 * names the caller itself (the cloud's screen pop, the contact cache) for the tray and the ringing
 * alert, and owns the wrap-up and its hotkeys.
 */
export const phoneStateSchema = z.object({
  registration: z.enum(['registered', 'registering', 'unregistered', 'degraded', 'offline']),
  call: z.enum(['idle', 'ringing', 'in-call', 'wrap-up']),
  /** The renderer's id of the call (stable while the call lives). */
  callId: z.string().max(100).nullable(),
  /** The cloud's id of the call, when the cloud passed it (an inbound call's screen pop carries the same). */
  cloudCallId: z.string().max(64).nullable(),
  /** The remote party as the SDK reports it: a number, or client:<identity>. */
  remote: z.string().max(200).nullable(),
  muted: z.boolean(),
  /**
   * Call waiting: a call ringing while the report's call is in progress — the one the answer and
   * reject keys (and the tray's Answer and Reject) act on. `answerable`: whether Answer would take it
   * now (every other call fully on hold); else the keys are refused with the reason.
   */
  waiting: z
    .object({
      callId: z.string().max(100),
      cloudCallId: z.string().max(64).nullable(),
      remote: z.string().max(200).nullable(),
      answerable: z.boolean(),
    })
    .nullable(),
});
export type PhoneStateReport = z.infer<typeof phoneStateSchema>;

/** A phone hotkey or tray item for the VoiceEngine (disposition hotkeys stay in main: the wrap-up is main's). */
export const phoneCommandSchema = z.object({ kind: z.enum(['answer', 'reject', 'hangUp', 'mute', 'showWindow']) });
export type PhoneCommand = z.infer<typeof phoneCommandSchema>;

/**
 * The phone refused one of main's hotkeys or tray items (e.g. Answer while a call is in progress):
 * the renderer shows the refusal in the window, and main shows it as a desktop notification, for the
 * window is often hidden when a global hotkey is pressed. Only commands that came from main.
 */
export const phoneCommandRefusedSchema = z.object({
  command: phoneCommandSchema.shape.kind.exclude(['showWindow']),
  /** The VoiceEngine's refusal, in the receptionist's words. */
  message: z.string().trim().min(1).max(300),
});
export type PhoneCommandRefused = z.infer<typeof phoneCommandRefusedSchema>;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number like +14155550123');
/** A call is named by the cloud's id when the renderer has it, else by its Twilio CallSid. */
export const callActionSchema = z
  .object({
    callId: z.string().min(1).max(64).optional(),
    callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/).optional(),
  })
  .and(
    z.discriminatedUnion('action', [
      z.object({ action: z.literal('recording.pause') }),
      z.object({ action: z.literal('recording.resume') }),
      z.object({ action: z.literal('hold') }),
      z.object({ action: z.literal('resume') }),
      z.object({ action: z.literal('voicemail') }),
      z.object({ action: z.literal('transfer'), toUserId: z.string().min(1).max(64).optional(), toNumber: e164.optional() }),
    ]),
  )
  .refine((input) => input.callId !== undefined || input.callSid !== undefined, 'Name the call by callId or callSid')
  .refine((input) => input.action !== 'transfer' || (input.toUserId === undefined) !== (input.toNumber === undefined), 'Transfer to a team member or to a number');
export type CallActionInput = z.infer<typeof callActionSchema>;

const coreChannels = {
  'app.getInfo': { input: noInput, output: appInfoSchema },
  'app.openExternal': { input: externalUrlSchema, output: z.object({ opened: z.boolean() }) },
  'app.listNotices': { input: noInput, output: z.array(noticeSchema) },
  'app.dismissNotice': { input: z.string().min(1).max(100), output: z.object({ dismissed: z.boolean() }) },
  'window.show': { input: noInput, output: z.object({ shown: z.boolean() }) },

  'session.getState': { input: noInput, output: sessionStateSchema },
  'session.signIn': { input: signInSchema, output: sessionStateSchema },
  'session.signOut': { input: noInput, output: sessionStateSchema },

  'sync.getStatus': { input: noInput, output: syncStatusSchema },
  'sync.now': { input: noInput, output: syncStatusSchema },

  'settings.get': { input: noInput, output: settingsViewSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsViewSchema },

  'voice.getConfig': { input: noInput, output: voiceConfigSchema },
  'voice.getToken': { input: noInput, output: voiceTokenSchema.nullable() },

  'phone.reportState': { input: phoneStateSchema, output: z.object({ accepted: z.boolean() }) },
  'phone.commandRefused': { input: phoneCommandRefusedSchema, output: z.object({ notified: z.boolean() }) },

  /** Read from the local cache: these work offline. */
  'directory.get': { input: noInput, output: directorySchema },
  'contacts.lookup': { input: z.object({ number: z.string().min(3).max(40) }), output: screenPopSchema.nullable() },
  /** One contact from the local cache (an alert's contact:<id> target); null when it is not here. */
  'contacts.get': { input: z.object({ contactId: z.string().min(1).max(64) }), output: contactSchema.nullable() },
  /** Assigns a contact to a team member of the practice, or to no one (null): here at once, then through the outbox. */
  'contacts.assign': { input: z.object({ contactId: z.string().min(1).max(64), assignedUserId: z.string().min(1).max(64).nullable() }), output: contactSchema },
  'search.query': { input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).default(20) }), output: searchResultSchema },
  'history.list': { input: historyFiltersSchema, output: historyPageSchema },
  'dispositions.list': { input: noInput, output: dispositionsViewSchema },
  /** Admins only; goes through the outbox like every other change. */
  'dispositions.admin': { input: dispositionAdminSchema, output: dispositionsViewSchema },
  'notifications.list': { input: z.object({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }).optional(), output: notificationsViewSchema },
  'notifications.markRead': { input: z.object({ notificationId: z.string().min(1).max(64) }), output: notificationsViewSchema },
  /** Marks every unread alert read (one outbox change each, like markRead). */
  'notifications.markAllRead': { input: noInput, output: notificationsViewSchema },

  /**
   * Wrap-up: a call that ended awaits its disposition; it survives a crash, a reload or another call.
   * Main owns it (choice, undo window, commit, digit hotkeys); the renderer renders `wrapups.changed`
   * and sends these intents. Each answers with the new state.
   */
  'wrapups.getState': { input: noInput, output: wrapUpStateSchema },
  'wrapups.start': { input: wrapupStartSchema, output: wrapUpStateSchema },
  /** Picks a disposition: main commits it when the 5-second undo window ends. */
  'wrapups.choose': { input: wrapupChooseSchema, output: wrapUpStateSchema },
  'wrapups.undo': { input: wrapupRefSchema, output: wrapUpStateSchema },
  /** Keeps the note typed so far (a global hotkey may choose while the window is in the background). */
  'wrapups.setNote': { input: wrapupNoteInputSchema, output: wrapUpStateSchema },
  /** No disposition applies (desk phone, skipped): forget the wrap-up. */
  'wrapups.dismiss': { input: wrapupRefSchema, output: wrapUpStateSchema },
  /** The location the receptionist works in: a wrap-up is chosen only in its call's location. */
  'wrapups.setLocation': { input: z.object({ locationId: z.string().min(1).max(64).nullable() }), output: wrapUpStateSchema },

  /** Cloud actions on a live call (Twilio REST behind the cloud): recording, transfer, hold, voicemail. */
  'calls.action': { input: callActionSchema, output: z.object({ done: z.boolean(), callId: z.string() }) },

  /** Embedded default only: a scripted caller rings one of the demo practice's numbers. */
  'demo.simulateCall': {
    input: z.object({ from: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number like +14155550123').optional() }).optional(),
    output: z.object({ callSid: z.string(), from: z.string(), to: z.string() }),
  },
  /**
   * Embedded default only: publishes a sending domain's TXT records in the demo DNS on this computer
   * (what a practice does at its DNS provider), so Verify finds them over DNS like a real domain's.
   */
  'demo.publishDnsRecords': {
    input: z.object({
      records: z
        .array(z.object({ name: z.string().min(3).max(253).regex(/^[A-Za-z0-9_.-]+$/, 'a DNS name'), value: z.string().min(1).max(2048) }))
        .min(1)
        .max(4),
    }),
    output: z.object({ published: z.number().int() }),
  },
} as const;

/**
 * The E2E suite's hooks: only in test builds (TEST_HOOKS_BUILT_IN), and main answers them only when
 * NODE_ENV=test.
 */
// A function, so a production bundle (which never calls it) drops the schemas with it.
const testChannels = () =>
  ({
    /** Cut or restore the cloud as if the network dropped. */
    'test.setCloudReachable': { input: z.object({ reachable: z.boolean() }), output: z.object({ reachable: z.boolean() }) },
    /** What a global hotkey press does (answer, hang up, mute, disposition N). */
    'test.pressHotkey': { input: hotkeyCommandSchema, output: z.object({ pressed: z.boolean() }) },
  }) as const;

/**
 * Every channel: the core ones above plus each feature's own map (a feature adds its file here).
 * The types always name the test channels; a production bundle has none of them at run time.
 */
export const ipcChannels = {
  ...coreChannels,
  ...twoFactorChannels,
  ...numbersChannels,
  ...localFirstChannels,
  ...reportsChannels,
  ...agentsChannels,
  ...tasksChannels,
  ...automationChannels,
  ...workflowSettingsChannels,
  ...mediaChannels,
  ...demoInboxChannels,
  ...callPolicyChannels,
  ...quitChannels,
  ...(TEST_HOOKS_BUILT_IN ? testChannels() : ({} as ReturnType<typeof testChannels>)),
} as const;

export const ipcEvents = {
  'app.notice': noticeSchema,
  /** The dialer should open prefilled (a tel:/callto: link, the tray, a second launch). */
  'dialer.prefill': z.object({ number: z.string().max(64) }),
  'session.changed': sessionStateSchema,
  'sync.status': syncStatusSchema,
  /** A fresh Twilio token from main's refresh timer: pass it to device.updateToken. */
  'voice.token': voiceTokenSchema,
  /** A global hotkey or tray menu item: answer, reject, hang up, mute, show. */
  'phone.command': phoneCommandSchema,
  /** Main's wrap-up state changed: the picker renders it. */
  'wrapups.changed': wrapUpStateSchema,
  /** A wrap-up ended (logged or skipped): the VoiceEngine lets its call go. */
  'wrapups.resolved': wrapUpResolvedSchema,
  /** Resume, unlock or network back: check the registration and re-register now. */
  'phone.wake': z.object({ reason: z.enum(['resume', 'unlock', 'online']) }),
  /** Screen-pop data from the cloud for a call that is ringing now. */
  'call.incoming': incomingCallSchema,
  /** An alert was clicked: open its redirect target (e.g. call:<id>, contact:<id>). */
  'navigate.to': z.object({ redirect: z.string().nullable() }),
  /** The local cache changed (a pull or a local write): views reading it refresh. */
  'cache.changed': z.object({ entities: z.array(z.string()) }),
  /** A Manual Actions hotkey (next task, skip, complete): the Tasks tab acts on it. */
  'tasks.command': tasksCommandSchema,
  ...quitEvents,
} as const;

export type IpcChannels = typeof ipcChannels;
export type IpcChannel = keyof IpcChannels;
export type IpcEvents = typeof ipcEvents;
export type IpcEventName = keyof IpcEvents;

export type ChannelInput<C extends IpcChannel> = z.input<IpcChannels[C]['input']>;
export type ChannelOutput<C extends IpcChannel> = z.output<IpcChannels[C]['output']>;
export type EventPayload<E extends IpcEventName> = z.output<IpcEvents[E]>;

/** channel-names.ts lists these names without the schemas (for the page's bridge): the lists must be exactly these. */
type SameNames<A extends string, B extends string> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustBeTrue<T extends true> = T;
export type ChannelNamesListed = MustBeTrue<SameNames<IpcChannel, ListedChannel>>;
export type EventNamesListed = MustBeTrue<SameNames<IpcEventName, ListedEvent>>;

export const isIpcChannel = (name: string): name is IpcChannel => Object.hasOwn(ipcChannels, name);
