import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  describeZodError,
  fail,
  IpcFailure,
  ipcChannels,
  isIpcChannel,
  ok,
  type ChannelOutput,
  type IpcChannel,
  type IpcChannels,
  type IpcResult,
} from '../../shared/ipc';

/** Who sent a request, as the host (Electron or the browser host) saw it. */
export interface IpcSender {
  /** Electron: the webContents id; browser host: the connection id. */
  id: number;
  /** True only for the top-level frame of the page (never an iframe). */
  isMainFrame: boolean;
  /** The URL of the sending frame, checked against our own origin. */
  frameUrl: string;
}

export type SenderPolicy = (sender: IpcSender) => boolean;

export type IpcHandler<C extends IpcChannel> = (
  input: z.output<IpcChannels[C]['input']>,
  sender: IpcSender,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

export type IpcHandlers = { [C in IpcChannel]: IpcHandler<C> };

/** The handlers of one namespace (`session.*`, `wrapups.*`…): each file in handlers/ implements one. */
export type NamespaceHandlers<N extends string> = { [C in IpcChannel as C extends `${N}.${string}` ? C : never]: IpcHandler<C> };

export interface IpcRouter {
  dispatch(channel: string, sender: IpcSender, rawInput: unknown): Promise<IpcResult<unknown>>;
  channels: readonly IpcChannel[];
}

export interface IpcRouterOptions {
  isTrustedSender: SenderPolicy;
  /** Logs what went wrong in main; `reference` is the one the renderer was shown. */
  onError?: (channel: string, error: unknown, reference: string) => void;
}

/** A short code the receptionist can read out to support, and that finds the log line. */
export function newErrorReference(): string {
  return `E-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/**
 * What the renderer sees of an error main did not expect: a stable code and a plain sentence. The
 * error's own text (a SQLite message, a stack, a file path) stays in main's log.
 */
export function unexpectedFailure(reference: string): IpcResult<never> {
  return fail('INTERNAL', `Something went wrong in the softphone (reference ${reference}). Try again; if it keeps happening, restart the app.`);
}

/**
 * The one place every renderer request passes: sender check, input validation, then the handler,
 * whose result is validated too so a bug in main can never send the renderer a malformed value.
 * A rejected request never reaches its handler. Only IpcFailure messages reach the renderer as they
 * are; every other error is logged here in main and answered with INTERNAL and a reference.
 */
export function createIpcRouter(handlers: IpcHandlers, options: IpcRouterOptions): IpcRouter {
  return {
    channels: Object.keys(ipcChannels) as IpcChannel[],
    async dispatch(channel, sender, rawInput) {
      if (!isIpcChannel(channel)) return fail('UNKNOWN_CHANNEL', `Unknown channel: ${String(channel).slice(0, 80)}`);
      if (!sender.isMainFrame || !options.isTrustedSender(sender)) {
        return fail('FORBIDDEN_SENDER', 'This request did not come from a Softphone window.');
      }
      const spec = ipcChannels[channel];
      const input = spec.input.safeParse(rawInput);
      if (!input.success) return fail('BAD_INPUT', describeZodError(input.error));
      try {
        const handler = handlers[channel] as (input: unknown, sender: IpcSender) => unknown;
        const value = await handler(input.data, sender);
        const output = spec.output.safeParse(value);
        if (!output.success) {
          const reference = newErrorReference();
          options.onError?.(channel, output.error, reference);
          return fail('BAD_OUTPUT', `The softphone produced an invalid result (reference ${reference}). Try again; if it keeps happening, restart the app.`);
        }
        return ok(output.data);
      } catch (error) {
        // Handlers throw IpcFailure for what the user should read; anything else is a fault of ours.
        if (error instanceof IpcFailure) return fail(error.code, error.message);
        const reference = newErrorReference();
        options.onError?.(channel, error, reference);
        return unexpectedFailure(reference);
      }
    },
  };
}

/** Trusts only main frames of our own windows showing one of our own pages. */
export function createSenderPolicy(opts: {
  isOwnWindow: (id: number) => boolean;
  isOwnPage: (url: URL) => boolean;
}): SenderPolicy {
  return (sender) => {
    if (!opts.isOwnWindow(sender.id)) return false;
    let url: URL;
    try {
      url = new URL(sender.frameUrl);
    } catch {
      return false;
    }
    return opts.isOwnPage(url);
  };
}
