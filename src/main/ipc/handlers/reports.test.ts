import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { user } from '../../../../test/support/cache-fixtures';
import type { User } from '../../../shared/cloud';
import { reportFiltersSchema, type ReportSummary } from '../../../shared/cloud/reports';
import { IpcFailure } from '../../../shared/ipc/result';
import { CloudError } from '../../cloud-client/cloud-client';
import { reportsHandlers } from './reports';

const summary = (origin: 'cloud' | 'cache'): ReportSummary => ({
  timezone: 'America/Los_Angeles', scope: origin === 'cloud' ? 'account' : 'own',
  range: { from: '2025-03-01', to: '2025-03-07', startUtc: '2025-03-01T08:00:00.000Z', endUtc: '2025-03-08T08:00:00.000Z' }, bucket: 'day',
  totals: { calls: 0, inbound: 0, answered: 0, missed: 0, voicemail: 0, blocked: 0, external: 0, noAnswer: 0, live: 0, withDisposition: 0, answeredInbound: 0, speedToAnswerSeconds: 0, talkedCalls: 0, talkSeconds: 0 },
  tiles: { totalCalls: 0, answeredPct: null, missedPct: null, avgSpeedToAnswerSeconds: null, avgTalkSeconds: null, dispositionPct: null },
  byUser: [], byTeam: [], overTime: [], heatmap: { calls: Array.from({ length: 7 }, () => Array(24).fill(0)), missed: Array.from({ length: 7 }, () => Array(24).fill(0)) },
  generatedAt: '2025-03-07T12:00:00.000Z', origin,
});

/** Calls a handler as the router would (these handlers do not look at the sender). */
const invoke = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

describe('reports and teams IPC handlers', () => {
  let me: User;
  let cloud: 'up' | 'down' | 'refuses';
  let requests: string[];
  let offline: Array<{ method: string; params: unknown }>;
  let kicks: number;
  let dir: string;

  const handlers = () =>
    reportsHandlers({
      session: { get user() { return me; }, authed: (fn) => fn('token') },
      api: {
        call: (async (_t: string, method: string, path: string, _body: unknown, schema: { parse(v: unknown): unknown }) => {
          requests.push(`${method} ${path}`);
          if (cloud === 'down') throw new CloudError(0, 'NETWORK', 'The cloud could not be reached.');
          if (cloud === 'refuses') throw new CloudError(400, 'VALIDATION', 'Unknown disposition.');
          if (path.startsWith('/v1/reports/calls/summary')) return schema.parse(summary('cloud'));
          if (path === '/v1/teams' && method === 'POST') return schema.parse({ id: 'team_1', accountId: 'acc_1', name: 'Front', memberIds: [], leadUserId: null, seq: 1, deletedAt: null });
          throw new Error(`unexpected ${path}`);
        }) as never,
        download: async (_t, path, onChunk) => {
          requests.push(`GET ${path}`);
          if (cloud === 'down') throw new CloudError(0, 'NETWORK', 'The cloud could not be reached.');
          await onChunk(new TextEncoder().encode('\uFEFFDate,Time\r\n'));
          await onChunk(new TextEncoder().encode('2025-03-01,09:00:00\r\n'));
          return { bytes: 30 };
        },
      },
      queries: {
        reportSummary: async (params) => (offline.push({ method: 'summary', params }), summary('cache')),
        reportRows: async (params) => (offline.push({ method: 'rows', params }), { rows: [], offset: 0, total: 0, origin: 'cache' }),
        reportOptions: async (params) => (offline.push({ method: 'options', params }), { timezone: 'UTC', scope: 'own', dispositions: [], users: [], teams: [], locations: [], lines: [] }),
        reportCsv: async (params) => {
          offline.push({ method: 'csv', params });
          writeFileSync(params.file, '\uFEFFDate\r\n2025-03-02\r\n');
          return { rows: 1, bytes: 20 };
        },
      },
      kickSync: () => void kicks++,
      tempDir: dir,
    });

  beforeEach(() => {
    me = user('usr_1', { role: 'admin' });
    cloud = 'up';
    requests = [];
    offline = [];
    kicks = 0;
    dir = mkdtempSync(join(tmpdir(), 'reports-handler-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const filters = reportFiltersSchema.parse({ preset: 'custom', from: '2025-03-01', to: '2025-03-07', dispositionIds: ['dsp_booked', 'none'], statuses: ['missed'] });

  it('asks the cloud with the filters in the query string, and never the cache while it answers', async () => {
    const got = await invoke(handlers()['reports.summary'], { filters });
    expect(got.origin).toBe('cloud');
    expect(requests).toEqual(['GET /v1/reports/calls/summary?preset=custom&from=2025-03-01&to=2025-03-07&dispositionIds=dsp_booked%2Cnone&statuses=missed']);
    expect(offline).toEqual([]);
  });

  it("falls back to the cache worker's own-calls report when the cloud is unreachable", async () => {
    cloud = 'down';
    expect((await invoke(handlers()['reports.summary'], { filters })).origin).toBe('cache');
    await invoke(handlers()['reports.rows'], { filters, sort: 'talk', order: 'asc', offset: 200, limit: 200 });
    expect(offline).toEqual([
      { method: 'summary', params: { filters, ownUserId: 'usr_1' } },
      { method: 'rows', params: { filters, ownUserId: 'usr_1', sort: 'talk', order: 'asc', offset: 200, limit: 200 } },
    ]);
  });

  it('passes a refusal on instead of showing cached figures', async () => {
    cloud = 'refuses';
    await expect(invoke(handlers()['reports.summary'], { filters })).rejects.toMatchObject({ code: 'VALIDATION', message: 'Unknown disposition.' });
    expect(offline).toEqual([]);
  });

  it('exports the CSV from the cloud stream, or from the file the worker wrote (then deleted)', async () => {
    const online = await invoke(handlers()['reports.exportCsv'], { filters, sort: 'startedAt', order: 'desc' });
    expect(online).toEqual({ csv: '\uFEFFDate,Time\r\n2025-03-01,09:00:00\r\n', fileName: 'calls-2025-03-01-to-2025-03-07.csv', origin: 'cloud' });
    expect(requests.at(-1)).toContain('/v1/reports/calls.csv?preset=custom&from=2025-03-01');
    cloud = 'down';
    const cached = await invoke(handlers()['reports.exportCsv'], { filters, sort: 'startedAt', order: 'desc' });
    expect(cached).toMatchObject({ csv: '\uFEFFDate\r\n2025-03-02\r\n', origin: 'cache' });
    const file = (offline[0]!.params as { file: string }).file;
    expect(file.startsWith(dir)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses signed-out callers, and teams to receptionists before the cloud', async () => {
    me = undefined as unknown as User;
    await expect(invoke(handlers()['reports.summary'], { filters })).rejects.toBeInstanceOf(IpcFailure);
    me = user('usr_2', { role: 'user' });
    await expect(invoke(handlers()['teams.create'], { name: 'Front', memberIds: [], leadUserId: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(requests).toEqual([]);
    me = user('usr_1', { role: 'admin' });
    expect((await invoke(handlers()['teams.create'], { name: 'Front', memberIds: [], leadUserId: null })).id).toBe('team_1');
    expect(kicks).toBe(1);
  });
});
