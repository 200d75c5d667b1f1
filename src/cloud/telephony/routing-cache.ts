import type { Dnd } from '../../shared/cloud/entities';
import type { SyncEntityName } from '../../shared/cloud/sync';
import type { ChangeEvent } from '../db/unit-of-work';

/** What the inbound webhook needs of a number to route a call (one row of phone_numbers, plus who "ring all" rings). */
export interface NumberRoute {
  id: string;
  accountId: string;
  locationId: string | null;
  number: string;
  name: string;
  forwardingNumber: string | null;
  callerIdMode: string;
  callConnect: boolean;
  whisperMessage: string | null;
  recordCalls: boolean;
  ringTimeoutSeconds: number;
  inboundRouting: string;
  assignedUserId: string | null;
  ringAllUserIds: string[];
  /** With no Ring All list: the live users of the number's location (or account), rung when nobody comes before them. */
  locationUserIds: string[];
}

/** The contact a caller's number belongs to (the oldest live one with that phone). */
export interface CallerContact {
  id: string;
  name: string;
  tags: string[];
  assignedUserId: string | null;
  dnd: Dnd | null;
}

export interface RoutingCacheOptions {
  /** Safety net: an entry is reloaded after this long even if no change event said so. */
  ttlMs?: number;
  /** Bound on cached callers (across accounts); the oldest go first. */
  maxContacts?: number;
  now?: () => number;
}

/** Changes to these entities can change how a number routes (its row, its users, their locations). */
const ROUTING_ENTITIES: ReadonlySet<SyncEntityName> = new Set<SyncEntityName>(['phoneNumbers', 'users', 'locations', 'accounts']);

/** Whether a committed change may change how its account's numbers route. */
export function changesRouting(event: ChangeEvent): boolean {
  const routing = (entities: readonly SyncEntityName[]) => entities.some((entity) => ROUTING_ENTITIES.has(entity));
  return routing(event.e) || Object.values(event.u ?? {}).some(routing);
}

const changesContacts = (event: ChangeEvent): boolean => event.e.includes('contacts') || Object.values(event.u ?? {}).some((entities) => entities.includes('contacts'));

interface Entry<T> {
  value: T;
  at: number;
}

/**
 * The inbound webhook's per-number routing data and per-caller contact, kept in memory.
 *
 * Correctness rests on the change events every writing transaction already announces
 * (`UnitOfWork` → NOTIFY, delivered to every instance through the realtime hub, and to the
 * writing instance synchronously on commit via `onCommitted`): a change to numbers, users,
 * locations or the account drops all number routes; a change to contacts drops that account's
 * callers. A gap in the event stream (LISTEN connection lost) drops everything, and every entry
 * expires after `ttlMs` regardless.
 *
 * A load that raced with an invalidation must not store what it read: loads take a generation
 * before querying and `set*` ignores the result if an invalidation happened in between.
 */
export class RoutingCache {
  private readonly ttlMs: number;
  private readonly maxContacts: number;
  private readonly now: () => number;
  /** By the number called (Twilio's `To`); null = not one of ours. */
  private readonly numbers = new Map<string, Entry<NumberRoute | null>>();
  private numberGen = 0;
  /** By account, then by the caller's number as Twilio sent it (`From`); null = no contact. */
  private readonly contacts = new Map<string, Map<string, Entry<CallerContact | null>>>();
  private contactCount = 0;
  private contactGen = 0;
  /**
   * By account, the newest change cursor (`s`) whose invalidation was applied, per kind. The writing
   * instance hears each of its commits twice (onCommitted at once, NOTIFY a moment later); an event
   * no newer than one already applied for the same account changes nothing: that invalidation ran
   * after this event's commit (sequence order is commit order), so whatever was loaded since has it.
   * Hearing it again would only throw away the loads made in between.
   */
  private readonly applied = new Map<string, { routing: number; contacts: number }>();

  constructor(options: RoutingCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxContacts = options.maxContacts ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** undefined = not cached (load it); null = known not to be one of our numbers. */
  number(to: string): NumberRoute | null | undefined {
    const entry = this.numbers.get(to);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.ttlMs) {
      this.numbers.delete(to);
      return undefined;
    }
    return entry.value;
  }

  /** Take before loading a number; pass to `setNumber`. */
  numberGeneration(): number {
    return this.numberGen;
  }

  setNumber(to: string, value: NumberRoute | null, generation: number): void {
    if (generation !== this.numberGen) return;
    // Unknown numbers are remembered too, but their count stays bounded.
    if (this.numbers.size >= 10_000 && !this.numbers.has(to)) this.numbers.clear();
    this.numbers.set(to, { value, at: this.now() });
  }

  /** undefined = not cached; null = the caller is no contact of this account. */
  contact(accountId: string, from: string): CallerContact | null | undefined {
    const byCaller = this.contacts.get(accountId);
    const entry = byCaller?.get(from);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.ttlMs) {
      byCaller!.delete(from);
      this.contactCount -= 1;
      return undefined;
    }
    return entry.value;
  }

  contactGeneration(): number {
    return this.contactGen;
  }

  setContact(accountId: string, from: string, value: CallerContact | null, generation: number): void {
    if (generation !== this.contactGen) return;
    let byCaller = this.contacts.get(accountId);
    if (!byCaller) this.contacts.set(accountId, (byCaller = new Map()));
    if (byCaller.has(from)) {
      byCaller.delete(from); // re-inserted below: newest last
      this.contactCount -= 1;
    }
    if (this.contactCount >= this.maxContacts) {
      const oldest = byCaller.keys().next();
      if (!oldest.done) {
        byCaller.delete(oldest.value);
        this.contactCount -= 1;
      } else {
        this.contacts.clear();
        this.contacts.set(accountId, byCaller);
        this.contactCount = 0;
      }
    }
    byCaller.set(from, { value, at: this.now() });
    this.contactCount += 1;
  }

  /** A committed change event (from any instance): drop what it may have made stale. */
  applyEvent(event: ChangeEvent): void {
    const routing = changesRouting(event);
    const contacts = changesContacts(event);
    const applied = this.applied.get(event.a) ?? { routing: -1, contacts: -1 };
    if (routing && !(event.s !== undefined && event.s <= applied.routing)) {
      this.clearNumbers();
      if (event.s !== undefined) applied.routing = event.s;
    }
    if (contacts && !(event.s !== undefined && event.s <= applied.contacts)) {
      this.contactGen += 1;
      const byCaller = this.contacts.get(event.a);
      if (byCaller) {
        this.contactCount -= byCaller.size;
        this.contacts.delete(event.a);
      }
      if (event.s !== undefined) applied.contacts = event.s;
    }
    if (event.s !== undefined && (routing || contacts)) this.applied.set(event.a, applied);
  }

  /** Events may have been missed: forget everything. */
  clear(): void {
    this.clearNumbers();
    this.contactGen += 1;
    this.contacts.clear();
    this.contactCount = 0;
  }

  private clearNumbers(): void {
    this.numberGen += 1;
    this.numbers.clear();
  }

  get size(): { numbers: number; contacts: number } {
    return { numbers: this.numbers.size, contacts: this.contactCount };
  }
}
