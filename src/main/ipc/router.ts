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
  onError?: (channel: string, error: unknown) => void;
}

/**
 * The one place every renderer request passes: sender check, input validation, then the handler,
 * whose result is validated too so a bug in main can never send the renderer a malformed value.
 * A rejected request never reaches its handler.
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
          options.onError?.(channel, output.error);
          return fail('BAD_OUTPUT', `The app produced an invalid result for ${channel}.`);
        }
        return ok(output.data);
      } catch (error) {
        if (error instanceof IpcFailure) return fail(error.code, error.message);
        options.onError?.(channel, error);
        return fail('INTERNAL', error instanceof Error ? error.message : 'Unexpected error');
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
