import { createRequire } from 'node:module';
import type * as SlackWebApi from '@slack/web-api';
import type { WebClient as WebClientType, WebClientOptions } from '@slack/web-api';

/**
 * The official Slack client, loaded when the first client is made: the package's index (and the
 * axios it brings) is ~50–140 ms of CPU that a start does not need. Its error codes come from their
 * own small module. Synchronous, so callers stay as they are.
 */
export { ErrorCode } from '@slack/web-api/dist/errors.js';

const requireHere = createRequire(import.meta.url);
let slackPackage: typeof SlackWebApi | undefined;

export function newWebClient(token: string | undefined, options: WebClientOptions): WebClientType {
  slackPackage ??= requireHere('@slack/web-api') as typeof SlackWebApi;
  return new slackPackage.WebClient(token, options);
}
