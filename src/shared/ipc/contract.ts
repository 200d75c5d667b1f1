import { z } from 'zod';

/**
 * The one IPC contract between the renderer and the main process. Each channel maps to a zod
 * schema for its input and one for its result; each event pushed from main is typed the same way.
 * The preload, the browser-host bridge and main's handler registry are all generated from this map:
 * adding a channel here is the only way to add one (see src/shared/README.md for the checklist).
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

export const ipcChannels = {
  'app.getInfo': { input: noInput, output: appInfoSchema },
  'app.openExternal': { input: externalUrlSchema, output: z.object({ opened: z.boolean() }) },
  'app.listNotices': { input: noInput, output: z.array(noticeSchema) },
  'app.dismissNotice': { input: z.string().min(1).max(100), output: z.object({ dismissed: z.boolean() }) },
  'window.show': { input: noInput, output: z.object({ shown: z.boolean() }) },
} as const;

export const ipcEvents = {
  'app.notice': noticeSchema,
  /** The dialer should open prefilled (a tel:/callto: link, the tray, a second launch). */
  'dialer.prefill': z.object({ number: z.string().max(64) }),
} as const;

export type IpcChannels = typeof ipcChannels;
export type IpcChannel = keyof IpcChannels;
export type IpcEvents = typeof ipcEvents;
export type IpcEventName = keyof IpcEvents;

export type ChannelInput<C extends IpcChannel> = z.input<IpcChannels[C]['input']>;
export type ChannelOutput<C extends IpcChannel> = z.output<IpcChannels[C]['output']>;
export type EventPayload<E extends IpcEventName> = z.output<IpcEvents[E]>;

export const isIpcChannel = (name: string): name is IpcChannel => Object.hasOwn(ipcChannels, name);
export const isIpcEventName = (name: string): name is IpcEventName => Object.hasOwn(ipcEvents, name);
