// What every part of a running sandbox shares. Built once in startSandbox.
import type { EventLog } from './events/event-log';
import type { ConnectingMedia } from './media/connecting-media';
import type { MediaClock } from './media/media-clock';
import type { SignalingEdge } from './signaling/edge';
import type { SandboxStore } from './state/store';
import type { WebhookClient } from './webhooks/webhook-client';

export interface SandboxSettings {
  accountSid: string;
  authToken: string;
  /** Scales TwiML waits (Pause, Gather/Dial timeouts, Say length) so tests can run fast. */
  timeScale: number;
  /** How long a spoken <Say> lasts per character, before timeScale. */
  sayMsPerChar: number;
}

export interface SandboxContext {
  settings: SandboxSettings;
  events: EventLog;
  clock: MediaClock;
  /** Calls whose media is connecting: the callbacks wait for them (connecting-media.ts says why). */
  connectingMedia: ConnectingMedia;
  edge: SignalingEdge;
  store: SandboxStore;
  webhooks: WebhookClient;
  /** https://127.0.0.1:port, known once listening. */
  baseUrl(): string;
}

/** Waits `ms` of sandbox time, or less if aborted. Never rejects. */
export function sandboxDelay(ctx: SandboxContext, ms: number, signal?: AbortSignal): Promise<void> {
  const scaled = Math.max(0, ms * ctx.settings.timeScale);
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, scaled);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
