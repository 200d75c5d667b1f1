import type { Logger } from 'pino';
import type { Role } from '../shared/cloud/entities';
import type { CloudConfig } from './config';
import type { Database } from './db';
import type { OutboundHttp } from './http/outbound';
import type { KeyRing } from './keys/key-ring';
import type { TwilioRest } from './telephony/rest';

/** What every route and service gets: built once in `startCloud`, passed explicitly. */
export interface CloudContext {
  readonly db: Database;
  readonly config: CloudConfig;
  readonly log: Logger;
  /** The server keys (JWT, 2FA, cursors): from configuration, never from the database. */
  readonly keys: KeyRing;
  /**
   * A hash of a random password, verified against when a sign-in names no user, so that answer takes
   * as long as a wrong password does. Made on argon2's threads once the cloud listens (the embedded
   * default: once the phone is ready), or by the first sign-in before then, which waits for it.
   */
  readonly dummyPasswordHash: Promise<string>;
  readonly twilioRest: TwilioRest;
  /** Requests to URLs a practice configured (an agent's webhook): the public internet only. */
  readonly outbound: OutboundHttp;
  /** The URL Twilio posts webhooks to (config.publicUrl or the listening address). */
  publicUrl(): string;
}

/** The signed-in user behind a request. */
export interface Principal {
  userId: string;
  accountId: string;
  role: Role;
  sessionId: string;
}
