/**
 * A loopback stand-in for the cloud's /v1/sync/pull, in its own process (as the real cloud is), for
 * test/bench/initial-pull.bench.ts: 5,000 contacts then PULL_CALLS calls, served by cursor from
 * pages serialized up front, so the figure is the desktop's work and not the cloud's queries.
 * Prints its port on stdout.
 */
import { createServer } from 'node:http';
import type { Call, Contact } from '../../../src/shared/cloud';
import { call, contact, page, seedPage } from '../../support/cache-fixtures';

const CALLS = Number(process.env.PULL_CALLS ?? 100_000);
const CONTACTS = 5_000;
const START = Date.parse('2023-06-01T00:00:00Z');
const SPAN = 2 * 365 * 24 * 3600 * 1000;
const PRACTICE = '+13105550100';

let seed = 42;
const rand = () => {
  seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
  return ((seed >>> 0) % 1_000_000) / 1_000_000;
};
const AREA = ['415', '310', '212', '312', '617', '206', '303', '512', '404', '702'];
const phone = () => `+1${AREA[Math.floor(rand() * AREA.length)]!}${String(200 + Math.floor(rand() * 800))}${String(Math.floor(rand() * 10_000)).padStart(4, '0')}`;
const NOTES = ['wants botox consult', 'asked about lip filler pricing', 'rescheduled facial', 'left voicemail'];

const contacts: Contact[] = Array.from({ length: CONTACTS }, (_, i) => contact(`ct_${i}`, `Client ${i} Garcia`, phone(), { seq: i + 2 }));
// Changes in seq order, as the cloud serves them: the directory, the contacts, then the calls.
const changes: ({ kind: 'contact'; row: Contact } | { kind: 'call'; row: Call })[] = contacts.map((row) => ({ kind: 'contact', row }));
for (let i = 0; i < CALLS; i++) {
  const known = rand() < 0.8 ? contacts[Math.floor(rand() * CONTACTS)]! : null;
  const other = known?.phone ?? phone();
  const inbound = rand() < 0.7;
  changes.push({
    kind: 'call',
    row: call(`call_${i}`, {
      direction: inbound ? 'inbound' : 'outbound',
      from: inbound ? other : PRACTICE,
      to: inbound ? PRACTICE : other,
      contactId: known?.id ?? null,
      startedAt: new Date(START + Math.floor((i / CALLS) * SPAN + rand() * 86_400_000)).toISOString(),
      note: rand() < 0.1 ? NOTES[i % NOTES.length]! : null,
      seq: CONTACTS + 2 + i,
    }),
  });
}

/** The page starting after `cursor` (cursor = the last seq served), as JSON text. */
function pageAfter(cursor: number, limit: number): string {
  if (cursor < 1) return JSON.stringify({ ...seedPage(1), hasMore: true });
  const from = cursor - 1;
  const slice = changes.slice(from, from + limit);
  const body = page(
    { contacts: slice.filter((c) => c.kind === 'contact').map((c) => c.row as Contact), calls: slice.filter((c) => c.kind === 'call').map((c) => c.row as Call) },
    cursor + slice.length,
    from + limit < changes.length,
  );
  return JSON.stringify(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/v1/sync/pull') {
    res.writeHead(404).end();
    return;
  }
  const text = pageAfter(Number(url.searchParams.get('cursor') ?? 0), Math.min(5_000, Number(url.searchParams.get('limit') ?? 1_000)));
  res.writeHead(200, { 'content-type': 'application/json' }).end(text);
});
// The client keeps its connection between pages; a loaded machine may take seconds per page.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
