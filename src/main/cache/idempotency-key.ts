import { randomUUID } from 'node:crypto';

/** A client-generated idempotency key for an outbox mutation: the cloud applies each at most once. */
export const newIdempotencyKey = (prefix: string): string => `${prefix}-${randomUUID()}`;
