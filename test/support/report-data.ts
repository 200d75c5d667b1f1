import type { Queryable } from '../../src/cloud/db/database';
import type { CallSource } from '../../src/shared/reporting/status';

/**
 * Generated call history for reporting tests: every status, direction and source, handled and
 * unhandled calls, dispositions (deleted ones too), notes, voicemails, and instants chosen around
 * DST changes and local midnights. Timestamps have millisecond precision (as the wire carries them).
 */
export interface GeneratedCall {
  id: string;
  direction: 'inbound' | 'outbound';
  source: CallSource;
  status: string;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  userId: string | null;
  rangUserIds: string[];
  dispositionId: string | null;
  note: string | null;
  recordings: { sid: string; url: string | null; durationSeconds: number | null; status: string; kind: 'call' | 'voicemail' }[];
  contactId: string | null;
  fromNumber: string;
  toNumber: string;
  phoneNumberId: string | null;
  locationId: string | null;
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Instants to spread calls over, as [start, end) ms pairs; each call picks one at random. */
  windows: [number, number][];
  /** Extra instants that must have a call exactly (local midnights and their neighbours). */
  exactInstants?: number[];
  users: string[];
  dispositions: string[];
  contacts: { id: string; phone: string }[];
  lines: { id: string; number: string; locationId: string | null }[];
  idPrefix?: string;
}

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCalls(o: GenerateOptions): GeneratedCall[] {
  const random = prng(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const instants: number[] = [...(o.exactInstants ?? [])];
  while (instants.length < o.count) {
    const [a, b] = pick(o.windows);
    instants.push(a + Math.floor(random() * (b - a)));
  }
  return instants.map((start, i) => {
    const inbound = random() < 0.7;
    const r = random();
    const source: CallSource = r < 0.8 ? 'softphone' : r < 0.87 ? 'manual_task' : r < 0.92 ? 'workflow' : 'external';
    const line = pick(o.lines);
    const contact = random() < 0.85 ? pick(o.contacts) : null;
    const remote = contact?.phone ?? `+1415555${String(1000 + Math.floor(random() * 8999))}`;
    const rang = inbound ? o.users.filter(() => random() < 0.5) : [];
    const outcome = random();
    let status = 'completed';
    let answered: number | null = null;
    let ended: number | null = null;
    let userId: string | null = null;
    const recordings: GeneratedCall['recordings'] = [];
    const ringMs = 800 + Math.floor(random() * 40_000);
    const talkMs = Math.floor(random() * 900_000);
    if (inbound) {
      if (outcome < 0.58) {
        answered = start + ringMs;
        ended = answered + talkMs;
        userId = pick(o.users);
        if (random() < 0.3) recordings.push({ sid: `RE${i}`, url: `https://api.twilio.example/Recordings/RE${i}`, durationSeconds: Math.round(talkMs / 1000), status: 'completed', kind: 'call' });
      } else if (outcome < 0.73) {
        status = 'missed';
        ended = start + ringMs;
      } else if (outcome < 0.84) {
        status = random() < 0.5 ? 'missed' : 'completed';
        ended = start + ringMs + 30_000;
        recordings.push({ sid: `REvm${i}`, url: random() < 0.8 ? `https://api.twilio.example/Recordings/REvm${i}` : null, durationSeconds: 20, status: 'completed', kind: 'voicemail' });
      } else if (outcome < 0.9) {
        status = 'rejected';
        ended = start;
      } else if (outcome < 0.94) {
        status = 'ringing';
      } else {
        status = 'in-progress';
        answered = start + ringMs;
        userId = pick(o.users);
      }
    } else {
      userId = pick(o.users);
      if (outcome < 0.62) {
        answered = start + ringMs;
        ended = answered + talkMs;
      } else if (outcome < 0.93) {
        status = pick(['busy', 'no-answer', 'failed', 'canceled']);
        ended = start + ringMs;
      } else if (outcome < 0.96) {
        status = 'rejected';
        ended = start;
      } else {
        status = 'queued';
      }
    }
    if (source === 'external' && inbound && userId === null && random() < 0.5) answered = start + ringMs; // forwarded and picked up outside
    const dispositionId = (userId !== null && random() < 0.7) || random() < 0.05 ? pick(o.dispositions) : null;
    return {
      id: `${o.idPrefix ?? 'call_gen_'}${String(i).padStart(6, '0')}`,
      direction: inbound ? 'inbound' : 'outbound',
      source,
      status,
      startedAt: iso(start),
      answeredAt: answered === null ? null : iso(answered),
      endedAt: ended === null ? null : iso(ended),
      userId,
      rangUserIds: rang,
      dispositionId,
      note: random() < 0.2 ? (random() < 0.1 ? '=HYPERLINK("http://x")' : 'Wants a consult, "Tuesday", after 3pm') : null,
      recordings,
      contactId: contact?.id ?? null,
      fromNumber: inbound ? remote : line.number,
      toNumber: inbound ? line.number : remote,
      phoneNumberId: line.id,
      locationId: line.locationId,
    };
  });
}

/** Inserts generated calls for an account, a few thousand rows per statement. */
export async function insertCalls(q: Queryable, accountId: string, calls: readonly GeneratedCall[]): Promise<void> {
  for (let i = 0; i < calls.length; i += 2000) {
    const batch = calls.slice(i, i + 2000);
    await q.query(
      `INSERT INTO calls (id, account_id, location_id, direction, source, from_number, to_number, phone_number_id, user_id, contact_id,
                          rang_user_ids, status, started_at, answered_at, ended_at, recordings, disposition_id, note)
       SELECT x.id, $1, x."locationId", x.direction, x.source, x."fromNumber", x."toNumber", x."phoneNumberId", x."userId", x."contactId",
              x."rangUserIds", x.status, x."startedAt", x."answeredAt", x."endedAt", x.recordings, x."dispositionId", x.note
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, "locationId" text, direction text, source text, "fromNumber" text, "toNumber" text,
              "phoneNumberId" text, "userId" text, "contactId" text, "rangUserIds" jsonb, status text, "startedAt" timestamptz,
              "answeredAt" timestamptz, "endedAt" timestamptz, recordings jsonb, "dispositionId" text, note text)`,
      [accountId, JSON.stringify(batch)],
    );
  }
}
