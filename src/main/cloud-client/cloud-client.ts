import type { z } from 'zod';
import {
  loginResponseSchema,
  problemSchema,
  pullResponseSchema,
  pushResponseSchema,
  tokenPairSchema,
  twilioTokenResponseSchema,
  userSchema,
  type LoginRequest,
  type LoginResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type TokenPair,
  type TwilioTokenResponse,
  type User,
} from '../../shared/cloud';
import { isSafeApiPath } from './api-path';

/** A failed cloud request, classified so callers know whether to retry, re-authenticate or give up. */
export class CloudError extends Error {
  constructor(
    /** HTTP status; 0 when the cloud could not be reached at all. */
    readonly status: number,
    /** The problem document's stable code, or NETWORK / TIMEOUT / BAD_RESPONSE. */
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CloudError';
  }

  /** Worth trying again later: the cloud was unreachable, overloaded or failed on its side. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  get needsSignIn(): boolean {
    return ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'SESSION_REVOKED', 'REFRESH_TOKEN_INVALID', 'REFRESH_TOKEN_REUSED'].includes(this.code);
  }
}

export interface CloudClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CloudApi {
  readonly baseUrl: string;
  login(request: LoginRequest): Promise<LoginResponse>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(accessToken: string): Promise<void>;
  me(accessToken: string): Promise<User>;
  pull(accessToken: string, cursor: number, limit?: number): Promise<PullResponse>;
  push(accessToken: string, mutations: Mutation[]): Promise<PushResponse>;
  twilioToken(accessToken: string): Promise<TwilioTokenResponse>;
  /** Any other JSON route, validated by the given schema (REST actions, admin screens); `timeoutMs` for a route known to take longer than most. */
  call<S extends z.ZodType>(accessToken: string, method: Method, path: string, body: unknown, schema: S, options?: { timeoutMs?: number }): Promise<z.output<S>>;
  /**
   * A GET whose body is not JSON (a CSV export), handed to `onChunk` as it arrives, each chunk
   * awaited before the next is read. Fails as `call` does; gives up when nothing arrives for 30 s.
   */
  download(accessToken: string, path: string, onChunk: (chunk: Uint8Array) => Promise<void> | void): Promise<{ bytes: number }>;
  /** A POST whose body is a file's raw bytes (the media library); the JSON answer validated by the schema. */
  upload<S extends z.ZodType>(accessToken: string, path: string, bytes: Uint8Array, schema: S): Promise<z.output<S>>;
  realtimeUrl(): string;
}

const IDLE_DOWNLOAD_MS = 30_000;
/** A whole file (up to 10 MB) may take a while on a slow uplink. */
const UPLOAD_TIMEOUT_MS = 120_000;

/** A raw body, told apart from a JSON one. */
class RawBody {
  constructor(readonly bytes: Uint8Array) {}
}

/** A failed response → a CloudError with the problem document's code and message. */
function problemError(response: Response, text: string): CloudError {
  let problem: z.infer<typeof problemSchema> | undefined;
  try {
    problem = problemSchema.parse(JSON.parse(text));
  } catch {
    problem = undefined;
  }
  const retryAfter = problem?.retryAfterSeconds ?? Number(response.headers.get('retry-after') ?? NaN);
  return new CloudError(
    response.status,
    problem?.code ?? (response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST'),
    problem?.detail ?? problem?.title ?? `The cloud answered ${response.status}.`,
    Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
  );
}

/** The cloud API over HTTP, every response validated against the shared wire schemas. */
export function createCloudClient(options: CloudClientOptions): CloudApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function request<S extends z.ZodType>(
    method: Method,
    path: string,
    body: unknown,
    schema: S | null,
    accessToken?: string,
    requestTimeoutMs = timeoutMs,
  ): Promise<z.output<S>> {
    // Ids in the path are checked before anything is sent (never `..`, never another route).
    if (!isSafeApiPath(path)) throw new CloudError(400, 'INVALID_ID', 'This request names something that is not a valid id.');
    const headers: Record<string, string> = { Accept: 'application/json' };
    const raw = body instanceof RawBody;
    if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? body.bytes : JSON.stringify(body),
        signal: AbortSignal.timeout(raw ? UPLOAD_TIMEOUT_MS : requestTimeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new CloudError(0, timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? 'The cloud did not answer in time.' : 'The cloud could not be reached.');
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw problemError(response, text);
    if (schema === null) return undefined as z.output<S>;
    // No content (a DELETE): nothing to parse; the caller's schema says whether that is acceptable.
    if (response.status === 204) {
      const empty = schema.safeParse(undefined);
      if (empty.success) return empty.data;
      throw new CloudError(response.status, 'BAD_RESPONSE', `The cloud sent no content for ${path}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CloudError(response.status, 'BAD_RESPONSE', `The cloud sent something that is not JSON for ${path}.`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CloudError(response.status, 'BAD_RESPONSE', `The cloud's answer for ${path} did not match the contract.`);
    return parsed.data;
  }

  async function download(accessToken: string, path: string, onChunk: (chunk: Uint8Array) => Promise<void> | void): Promise<{ bytes: number }> {
    const abort = new AbortController();
    let idle = setTimeout(() => abort.abort(), IDLE_DOWNLOAD_MS);
    const stillAlive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), IDLE_DOWNLOAD_MS);
    };
    let bytes = 0;
    try {
      const response = await fetchImpl(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${accessToken}` }, signal: abort.signal });
      if (!response.ok) throw problemError(response, await response.text().catch(() => ''));
      if (!response.body) return { bytes };
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        stillAlive();
        bytes += chunk.byteLength;
        await onChunk(chunk);
      }
      return { bytes };
    } catch (error) {
      if (error instanceof CloudError) throw error;
      if (abort.signal.aborted) throw new CloudError(0, 'TIMEOUT', 'The cloud stopped sending the file.');
      throw new CloudError(0, 'NETWORK', bytes > 0 ? 'The connection to the cloud broke during the download.' : 'The cloud could not be reached.');
    } finally {
      clearTimeout(idle);
    }
  }

  return {
    baseUrl,
    download,
    login: (body) => request('POST', '/v1/auth/login', body, loginResponseSchema),
    refresh: (refreshToken) => request('POST', '/v1/auth/refresh', { refreshToken }, tokenPairSchema),
    logout: async (accessToken) => {
      await request('POST', '/v1/auth/logout', undefined, null, accessToken);
    },
    me: (accessToken) => request('GET', '/v1/me', undefined, userSchema, accessToken),
    pull: (accessToken, cursor, limit = 1000) =>
      request('GET', `/v1/sync/pull?cursor=${cursor}&limit=${limit}`, undefined, pullResponseSchema, accessToken),
    push: (accessToken, mutations) => request('POST', '/v1/sync/push', { mutations }, pushResponseSchema, accessToken),
    twilioToken: (accessToken) => request('POST', '/v1/twilio/token', undefined, twilioTokenResponseSchema, accessToken),
    call: (accessToken, method, path, body, schema, options) => request(method, path, body, schema, accessToken, options?.timeoutMs),
    upload: (accessToken, path, bytes, schema) => request('POST', path, new RawBody(bytes), schema, accessToken),
    realtimeUrl: () => `${baseUrl.replace(/^http/, 'ws')}/v1/realtime`,
  };
}
