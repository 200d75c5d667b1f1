import { z } from 'zod';
import type { User } from '../../shared/cloud';
import type { LoginResponse } from '../../shared/cloud/auth';
import type { Clock } from '../../shared/time/clock';
import { CloudError, type CloudApi } from '../cloud-client/cloud-client';
import type { CredentialVault } from './credential-vault';

export type SessionState =
  | { status: 'signed-out'; reason?: string }
  | { status: 'signing-in' }
  | { status: 'signed-in'; user: User; sessionId: string };

const storedSessionSchema = z.object({ refreshToken: z.string().min(1), sessionId: z.string(), email: z.string() });
type StoredSession = z.infer<typeof storedSessionSchema>;

/** Issues a session in this process for a device (EmbeddedStack.demoSignIn): no password involved. */
export type SessionIssuer = (deviceName: string) => Promise<LoginResponse>;

/** Refresh the access token this long before it expires, so no request carries a dying token. */
const ACCESS_TOKEN_MARGIN_MS = 60_000;

export interface SessionServiceOptions {
  cloud: CloudApi;
  vault: CredentialVault;
  clock: Clock;
  deviceName: string;
  /**
   * The user this computer's cache was last signed in as, for this cloud (undefined if none): a
   * start while the cloud cannot be reached resumes their session from the cache.
   */
  cachedUser?: () => User | undefined;
}

/** How a start resumed: online, from the cache while the cloud cannot be reached, or not at all. */
export type RestoreOutcome = 'resumed' | 'offline' | false;

/**
 * Signing in and staying signed in. The rotating refresh token lives only in the OS keychain
 * (written before it is used, so a crash never strands the only copy in memory); the short-lived
 * access token lives only in main's memory. Neither ever crosses to the renderer.
 */
export class SessionService {
  private current: SessionState = { status: 'signed-out' };
  private accessToken: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private endingOwnSession = false;
  private readonly listeners = new Set<(state: SessionState) => void>();

  constructor(private readonly options: SessionServiceOptions) {}

  /** The keychain entry: one session per cloud origin on this computer. */
  private get vaultAccount(): string {
    return `session:${new URL(this.options.cloud.baseUrl).origin}`;
  }

  get state(): SessionState {
    return this.current;
  }

  get user(): User | undefined {
    return this.current.status === 'signed-in' ? this.current.user : undefined;
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * At start: resume the session whose refresh token is in the keychain, if any. When the cloud
   * cannot be reached (network, timeout, 5xx) and the cache holds that same person, the session
   * resumes from the cache ('offline'): the cached screens and the outbox work, and the first
   * request that needs the cloud refreshes the token — the sync engine retries it with backoff, so
   * the app recovers by itself. Only the cloud's own "sign in again" signs the person out.
   */
  async restore(): Promise<RestoreOutcome> {
    const raw = await this.options.vault.get(this.vaultAccount);
    if (!raw) return false;
    const stored = storedSessionSchema.safeParse(safeJson(raw));
    if (!stored.success) {
      await this.options.vault.delete(this.vaultAccount);
      return false;
    }
    try {
      await this.rotate(stored.data);
      const user = await this.options.cloud.me(await this.getAccessToken());
      this.set({ status: 'signed-in', user, sessionId: stored.data.sessionId });
      return 'resumed';
    } catch (error) {
      if (error instanceof CloudError && error.needsSignIn) {
        await this.forget(`Your session ended (${error.message}). Please sign in again.`);
        return false;
      }
      const cached = this.options.cachedUser?.();
      const retryable = !(error instanceof CloudError) || error.retryable;
      if (retryable && cached && cached.email.toLowerCase() === stored.data.email.toLowerCase()) {
        this.set({ status: 'signed-in', user: cached, sessionId: stored.data.sessionId });
        return 'offline';
      }
      throw error;
    }
  }

  async signIn(email: string, password: string): Promise<User> {
    return this.open(() => this.options.cloud.login({ email, password, deviceName: this.options.deviceName }));
  }

  /**
   * Signs in with a session issued in this process, with no password: the embedded default's demo
   * receptionist (EmbeddedStack.demoSignIn). Kept, refreshed and ended like any other session.
   */
  async signInIssued(issue: SessionIssuer): Promise<User> {
    return this.open(() => issue(this.options.deviceName));
  }

  private async open(issue: () => Promise<LoginResponse>): Promise<User> {
    this.set({ status: 'signing-in' });
    try {
      const response = await issue();
      await this.options.vault.set(
        this.vaultAccount,
        JSON.stringify({ refreshToken: response.refreshToken, sessionId: response.sessionId, email: response.user.email } satisfies StoredSession),
      );
      this.accessToken = { token: response.accessToken, expiresAt: this.options.clock.now() + response.accessTokenExpiresIn * 1000 };
      this.set({ status: 'signed-in', user: response.user, sessionId: response.sessionId });
      return response.user;
    } catch (error) {
      this.set({ status: 'signed-out', reason: error instanceof Error ? error.message : 'Sign-in failed' });
      throw error;
    }
  }

  async signOut(reason?: string): Promise<void> {
    // Our own logout makes the cloud push `session-revoked` to this very device: while (and after)
    // we end the session ourselves, that echo must not turn into "signed out from another session".
    this.endingOwnSession = true;
    try {
      const token = this.accessToken?.token;
      if (token) await this.options.cloud.logout(token).catch(() => undefined);
      await this.forget(reason);
    } finally {
      this.endingOwnSession = false;
    }
  }

  /** The cloud says this session was ended elsewhere (realtime `session-revoked`). */
  async endedElsewhere(): Promise<void> {
    if (this.current.status !== 'signed-in' || this.endingOwnSession) return;
    await this.signOut('This device was signed out from another session. Please sign in again.');
  }

  /** A valid access token, refreshed (once, however many callers ask at the same moment) when near expiry. */
  async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt - ACCESS_TOKEN_MARGIN_MS > this.options.clock.now()) {
      return this.accessToken.token;
    }
    this.refreshing ??= this.refreshFromVault().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Runs a cloud call with a valid token; if the cloud says the token expired anyway, refreshes and retries once. */
  async authed<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    try {
      return await call(await this.getAccessToken());
    } catch (error) {
      if (!(error instanceof CloudError) || (error.code !== 'TOKEN_EXPIRED' && error.code !== 'UNAUTHENTICATED')) throw error;
      this.accessToken = undefined;
      return call(await this.getAccessToken());
    }
  }

  private async refreshFromVault(): Promise<string> {
    const raw = await this.options.vault.get(this.vaultAccount);
    const stored = raw ? storedSessionSchema.safeParse(safeJson(raw)) : undefined;
    if (!stored?.success) {
      await this.forget('You are signed out.');
      throw new CloudError(401, 'UNAUTHENTICATED', 'You are signed out.');
    }
    try {
      return await this.rotate(stored.data);
    } catch (error) {
      if (error instanceof CloudError && error.needsSignIn) {
        await this.forget(`Your session ended (${error.message}). Please sign in again.`);
      }
      throw error;
    }
  }

  private async rotate(stored: StoredSession): Promise<string> {
    const pair = await this.options.cloud.refresh(stored.refreshToken);
    await this.options.vault.set(
      this.vaultAccount,
      JSON.stringify({ refreshToken: pair.refreshToken, sessionId: pair.sessionId, email: stored.email } satisfies StoredSession),
    );
    this.accessToken = { token: pair.accessToken, expiresAt: this.options.clock.now() + pair.accessTokenExpiresIn * 1000 };
    return pair.accessToken;
  }

  private async forget(reason?: string): Promise<void> {
    this.accessToken = undefined;
    await this.options.vault.delete(this.vaultAccount).catch(() => false);
    this.set({ status: 'signed-out', ...(reason ? { reason } : {}) });
  }

  private set(state: SessionState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
