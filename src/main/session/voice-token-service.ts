import type { TwilioTokenResponse } from '../../shared/cloud';
import type { Clock, TimerHandle } from '../../shared/time/clock';
import type { CloudApi } from '../cloud-client/cloud-client';
import type { SessionService } from './session-service';

/** Refresh the Twilio token at least this long before it expires (issue: ≥ 5 minutes). */
export const VOICE_TOKEN_LEAD_MS = 5 * 60_000;
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 60_000;

export interface VoiceToken {
  token: string;
  identity: string;
  expiresAt: number;
}

/**
 * Keeps a fresh Twilio access token for the renderer's Device. The timer runs here in main, so a
 * throttled, hidden or reloaded window can never let the token lapse; the renderer only receives
 * each new token (and calls `device.updateToken`).
 */
export class VoiceTokenService {
  private current: VoiceToken | undefined;
  private timer: TimerHandle | undefined;
  private retryMs = RETRY_MIN_MS;
  private stopped = true;
  private inFlight: Promise<VoiceToken> | undefined;

  constructor(
    private readonly deps: {
      session: SessionService;
      cloud: CloudApi;
      clock: Clock;
      onToken: (token: VoiceToken) => void;
      onError?: (error: unknown) => void;
    },
  ) {}

  get token(): VoiceToken | undefined {
    return this.current && this.current.expiresAt > this.deps.clock.now() ? this.current : undefined;
  }

  start(): Promise<VoiceToken> {
    this.stopped = false;
    return this.refreshNow();
  }

  stop(): void {
    this.stopped = true;
    this.current = undefined;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Waits for the token being fetched, if one is, for at most `maxMs`; never fails (a failed fetch
   * has its own retry and report). At start: the renderer's first request is for this token.
   */
  async settled(maxMs: number): Promise<void> {
    const fetching = this.inFlight;
    if (!fetching) return;
    let timer: TimerHandle | undefined;
    await Promise.race([
      fetching.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = this.deps.clock.setTimeout(resolve, maxMs);
      }),
    ]);
    if (timer !== undefined) this.deps.clock.clearTimeout(timer);
  }

  /** Fetches a token now (single-flight) and schedules the next refresh. */
  refreshNow(): Promise<VoiceToken> {
    this.inFlight ??= this.fetchAndSchedule().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** When to refresh a token that lives `ttlMs`: 5 minutes ahead, or at half-life for short tokens. */
  static refreshDelay(ttlMs: number): number {
    return ttlMs > 2 * VOICE_TOKEN_LEAD_MS ? ttlMs - VOICE_TOKEN_LEAD_MS : Math.max(1_000, Math.floor(ttlMs / 2));
  }

  private async fetchAndSchedule(): Promise<VoiceToken> {
    try {
      const response: TwilioTokenResponse = await this.deps.session.authed((access) => this.deps.cloud.twilioToken(access));
      const now = this.deps.clock.now();
      const expiresAt = Math.min(Date.parse(response.expiresAt) || Infinity, now + response.ttlSeconds * 1000);
      const token: VoiceToken = { token: response.token, identity: response.identity, expiresAt };
      this.current = token;
      this.retryMs = RETRY_MIN_MS;
      if (!this.stopped) {
        this.deps.onToken(token);
        this.schedule(VoiceTokenService.refreshDelay(expiresAt - now));
      }
      return token;
    } catch (error) {
      this.deps.onError?.(error);
      if (!this.stopped) {
        this.schedule(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      }
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.refreshNow().catch(() => undefined);
    }, delayMs);
  }
}
