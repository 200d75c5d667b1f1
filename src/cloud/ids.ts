import { randomUUID } from 'node:crypto';

/** Prefixed random ids (`call_3f2a…`): readable in logs, unguessable, 37 characters at most. */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll('-', '')}`;
