import type { VoiceConfig, VoiceTokenView } from '../../shared/ipc';
import type { Clock } from './clock';
import type { PrefetchedVoice, VoiceBridge } from './engine-ports';

/** Edge errors that mean the token is bad or expired: ask main for a new one. */
const TOKEN_ERROR_CODES = new Set([20101, 20104, 31201, 31204, 31205]);
export const isTokenError = (code: number | null): boolean => code !== null && TOKEN_ERROR_CODES.has(code);

/** Ask for a fresh token when less than this is left. */
export const TOKEN_MARGIN_MS = 60_000;

/** A cached token good for at least the margin; null when main must be asked. Pure. */
export const usableToken = (token: VoiceTokenView | null, now: number): VoiceTokenView | null =>
  token && token.expiresAt - now > TOKEN_MARGIN_MS ? token : null;

export interface TokenSourcePorts {
  bridge: VoiceBridge['voice'];
  clock: Clock;
  /** No token could be had from main (the Device goes offline for `token`). */
  onFailed(message: string): void;
  /** A new token arrived (pushed by main's refresh timer or fetched after tokenWillExpire). */
  onToken(token: VoiceTokenView): void;
}

/**
 * The voice configuration and the access token, from main: main owns the refresh timer and pushes
 * tokens; the engine asks when it has none, when the SDK says one is about to expire, and when the
 * edge refuses the one it has.
 */
export class TokenSource {
  private config: VoiceConfig | null;
  private token: VoiceTokenView | null;

  /** `prefetched`: what main already sent; used as the cached config and token (the token while it is fresh). */
  constructor(
    private readonly ports: TokenSourcePorts,
    prefetched?: PrefetchedVoice | null,
  ) {
    this.config = prefetched?.config ?? null;
    this.token = prefetched?.token ?? null;
  }

  /** The edge configuration, fetched once. */
  async getConfig(): Promise<VoiceConfig> {
    if (this.config) return this.config;
    const result = await this.ports.bridge.getConfig();
    if (!result.ok) throw new Error(`No voice configuration: ${result.error.message}`);
    this.config = result.value;
    return result.value;
  }

  /** A token with more than a minute left: the cached one, else a new one from main. */
  async fresh(): Promise<VoiceTokenView> {
    const cached = usableToken(this.token, this.ports.clock.now());
    if (cached) return cached;
    const result = await this.ports.bridge.getToken();
    if (!result.ok || !result.value) {
      const message = failureMessage(result);
      this.ports.onFailed(message);
      throw new Error(message);
    }
    this.token = result.value;
    return result.value;
  }

  /** A token pushed by main. */
  accept(token: VoiceTokenView): void {
    this.token = token;
    this.ports.onToken(token);
  }

  /** Forgets the cached token (the edge refused it) and asks main for another. */
  async replace(): Promise<void> {
    this.token = null;
    await this.refresh();
  }

  /** Asks main for a token now (the SDK's tokenWillExpire). */
  async refresh(): Promise<void> {
    const result = await this.ports.bridge.getToken();
    if (result.ok && result.value) this.accept(result.value);
    else this.ports.onFailed(failureMessage(result));
  }
}

const failureMessage = (result: { ok: true } | { ok: false; error: { message: string } }): string =>
  result.ok ? 'Not signed in: no phone token' : `No phone token: ${result.error.message}`;
