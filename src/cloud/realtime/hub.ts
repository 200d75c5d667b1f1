import type { Logger } from 'pino';
import type { ServerMessage } from '../../shared/cloud/realtime';
import type { SyncEntityName } from '../../shared/cloud/sync';
import type { Principal } from '../context';
import type { Database } from '../db';
import { EVENTS_CHANNEL, type ChangeEvent } from '../db/unit-of-work';

/** The part of a WebSocket the hub needs (so tests can use fakes). */
export interface RealtimeSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

interface Client {
  socket: RealtimeSocket;
  principal: Principal;
}

/**
 * Fans database change events out to connected sockets. Every API instance LISTENs on the same
 * channel, so a change committed through any instance pokes the clients of all of them.
 */
export class RealtimeHub {
  private readonly byAccount = new Map<string, Set<Client>>();
  private stopListening: (() => Promise<void>) | undefined;
  /** Test hook: resolves listeners waiting for the next dispatched event. */
  private readonly dispatched = new Set<(event: ChangeEvent) => void>();
  /** In-process consumers of every change event (caches), and of gaps in the event stream. */
  private readonly subscribers = new Set<{ event: (event: ChangeEvent) => void; gap: () => void }>();

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.db.listen(
      EVENTS_CHANNEL,
      (payload) => this.dispatch(payload),
      () => {
        for (const subscriber of this.subscribers) subscriber.gap();
      },
    );
  }

  /**
   * Every change event this instance hears (its own and other instances' commits, via NOTIFY),
   * and `gap` when some may have been missed. Returns the unsubscribe function.
   */
  subscribe(event: (event: ChangeEvent) => void, gap: () => void): () => void {
    const subscriber = { event, gap };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get connectionCount(): number {
    let count = 0;
    for (const set of this.byAccount.values()) count += set.size;
    return count;
  }

  add(socket: RealtimeSocket, principal: Principal): () => void {
    const client: Client = { socket, principal };
    let set = this.byAccount.get(principal.accountId);
    if (!set) this.byAccount.set(principal.accountId, (set = new Set()));
    set.add(client);
    return () => {
      set.delete(client);
      if (set.size === 0) this.byAccount.delete(principal.accountId);
    };
  }

  private dispatch(payload: string): void {
    let event: ChangeEvent;
    try {
      event = JSON.parse(payload) as ChangeEvent;
    } catch {
      this.log.warn('ignored a malformed change event');
      return;
    }
    for (const subscriber of this.subscribers) subscriber.event(event);
    for (const client of this.byAccount.get(event.a) ?? []) {
      const { userId, sessionId } = client.principal;
      if (event.r?.includes(sessionId)) {
        this.sendTo(client, { type: 'session-revoked' });
        client.socket.close(4001, 'session revoked');
        continue;
      }
      const entities = new Set<SyncEntityName>([...event.e, ...(event.u?.[userId] ?? [])]);
      if (event.s !== undefined && entities.size > 0) this.sendTo(client, { type: 'changed', cursor: event.s, entities: [...entities] });
      for (const message of event.m ?? []) if (message.to.includes(userId)) this.sendTo(client, message.msg);
    }
    for (const resolve of this.dispatched) resolve(event);
  }

  /** Resolves with the next change event this instance receives (tests). */
  nextEvent(predicate: (event: ChangeEvent) => boolean = () => true): Promise<ChangeEvent> {
    return new Promise((resolve) => {
      const listener = (event: ChangeEvent): void => {
        if (!predicate(event)) return;
        this.dispatched.delete(listener);
        resolve(event);
      };
      this.dispatched.add(listener);
    });
  }

  private sendTo(client: Client, message: ServerMessage): void {
    try {
      client.socket.send(JSON.stringify(message));
    } catch (error) {
      this.log.debug({ err: error }, 'realtime send failed');
    }
  }

  async stop(): Promise<void> {
    for (const set of this.byAccount.values()) for (const client of set) client.socket.close(1001, 'server shutting down');
    this.byAccount.clear();
    await this.stopListening?.();
  }
}
