import type { WebAPICallError, WebClient } from '@slack/web-api';
import { ErrorCode, newWebClient } from './web-api';
import type { CloudConfig } from '../config';
import { ApiError } from '../errors';

/**
 * The official Slack client for the settings screens: no silent retries (a rate limit reaches the
 * admin as RATE_LIMITED with Slack's Retry-After), Slack's API base from config (the stand-in in
 * development and tests). The Slack action uses the engine's port, configured the same way.
 */
export function slackClient(config: CloudConfig, token?: string): WebClient {
  return newWebClient(token, { slackApiUrl: config.automation.slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 15_000 });
}

/** Slack's error name of a failed call (`token_revoked`, `channel_not_found`…), or the kind of failure. */
export function slackErrorName(error: unknown): string {
  const e = error as Partial<WebAPICallError> & { data?: { error?: string } };
  if (e.code === ErrorCode.PlatformError) return e.data?.error ?? 'unknown_error';
  if (e.code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (e.code === ErrorCode.RequestError) return 'unreachable';
  if (e.code === ErrorCode.HTTPError) return 'http_error';
  return 'unknown_error';
}

/** Slack refused the workspace's token: it was revoked or the app uninstalled. Reconnect. */
export const TOKEN_GONE = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired', 'team_access_not_granted']);

/** A failed Slack call as a problem the admin can act on. */
export function slackProblem(error: unknown, doing: string): ApiError {
  const name = slackErrorName(error);
  if (name === 'ratelimited') {
    const retryAfter = Math.max(1, Math.ceil(Number((error as { retryAfter?: number }).retryAfter ?? 30)));
    return new ApiError('RATE_LIMITED', `Slack asks us to slow down while ${doing}; try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
  }
  if (TOKEN_GONE.has(name)) return new ApiError('SLACK_REQUEST_FAILED', `Slack no longer accepts this workspace's connection (${name}) while ${doing}: connect it again in Settings → Integrations`);
  if (name === 'unreachable') return new ApiError('SLACK_REQUEST_FAILED', `Slack could not be reached while ${doing}; try again`);
  return new ApiError('SLACK_REQUEST_FAILED', `Slack refused while ${doing}: ${name}`);
}
