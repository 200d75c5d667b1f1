import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { teamSchema, userSchema } from '../../../shared/cloud/entities';
import {
  reportFiltersToQuery,
  reportOptionsSchema,
  reportPageSchema,
  reportSummarySchema,
  type ReportFilters,
} from '../../../shared/cloud/reports';
import type { ReportCsv } from '../../../shared/ipc/contract-reports';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CacheQueryWorker } from '../../cache/query-worker-client';
import { CloudError, type CloudApi } from '../../cloud-client/cloud-client';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface ReportsHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call' | 'download'>;
  queries: Pick<CacheQueryWorker, 'reportSummary' | 'reportRows' | 'reportCsv' | 'reportOptions'>;
  /** A team change others see through sync: pull it soon. */
  kickSync: () => void;
  /** Where the offline CSV is written before it is read back (the OS temp folder by default). */
  tempDir?: string;
}

const query = (filters: ReportFilters, extra: Record<string, string | number> = {}): string =>
  new URLSearchParams({ ...reportFiltersToQuery(filters), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) }).toString();

/** A CSV file name that says what it covers. */
const csvName = (f: ReportFilters): string => (f.preset === 'custom' && f.from && f.to ? `calls-${f.from}-to-${f.to}.csv` : `calls-${f.preset}.csv`);

/**
 * Call Reporting and Settings → Team. Reports come from the cloud (scoped there: a receptionist's
 * own calls, an admin's whole practice); when the cloud cannot be reached, from the cache query
 * worker (never this thread) with the signed-in user's own calls, marked `origin: 'cache'` so the
 * screen says so. Any other cloud refusal is passed on, never papered over with cached figures.
 */
export function reportsHandlers(deps: ReportsHandlerDeps): NamespaceHandlers<'reports' | 'teams'> {
  const me = (): string => {
    const user = deps.session.user;
    if (!user) throw new IpcFailure('UNAUTHENTICATED', 'Sign in to see reports.');
    return user.id;
  };
  /** The cloud's answer, or the cache's when the cloud is unreachable (status 0). */
  async function cloudOrCache<T>(cloud: (token: string) => Promise<T>, offline: (ownUserId: string) => Promise<T>): Promise<T> {
    const ownUserId = me();
    try {
      return await deps.session.authed(cloud);
    } catch (error) {
      if (error instanceof CloudError && error.status === 0) return offline(ownUserId);
      if (error instanceof CloudError) throw new IpcFailure(error.code, error.message);
      throw error;
    }
  }
  const admin = (): void => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can manage teams.');
  };
  const teams = <S extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    admin();
    return viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, path, body, schema)), {
      unreachable: 'The cloud cannot be reached: teams are managed online. Try again when you are connected.',
    });
  };
  const changed = <T>(value: T): T => {
    deps.kickSync();
    return value;
  };

  return {
    'reports.options': () =>
      cloudOrCache(
        (token) => deps.api.call(token, 'GET', '/v1/reports/options', undefined, reportOptionsSchema),
        (ownUserId) => deps.queries.reportOptions({ ownUserId }),
      ),
    'reports.summary': ({ filters }) =>
      cloudOrCache(
        (token) => deps.api.call(token, 'GET', `/v1/reports/calls/summary?${query(filters)}`, undefined, reportSummarySchema),
        (ownUserId) => deps.queries.reportSummary({ filters, ownUserId }),
      ),
    'reports.rows': ({ filters, sort, order, offset, limit }) =>
      cloudOrCache(
        (token) => deps.api.call(token, 'GET', `/v1/reports/calls?${query(filters, { sort, order, offset, limit })}`, undefined, reportPageSchema),
        (ownUserId) => deps.queries.reportRows({ filters, ownUserId, sort, order, offset, limit }),
      ),
    'reports.exportCsv': ({ filters, sort, order }) =>
      cloudOrCache<ReportCsv>(
        async (token) => {
          const chunks: Buffer[] = [];
          await deps.api.download(token, `/v1/reports/calls.csv?${query(filters, { sort, order })}`, (chunk) => {
            chunks.push(Buffer.from(chunk));
          });
          return { csv: Buffer.concat(chunks).toString('utf8'), fileName: csvName(filters), origin: 'cloud' as const };
        },
        async (ownUserId) => {
          // The worker writes the file (this thread never builds the rows); read back once complete.
          const file = join(deps.tempDir ?? tmpdir(), `aesthetix-report-${randomUUID()}.csv`);
          try {
            await deps.queries.reportCsv({ filters, ownUserId, sort, order, offset: 0, limit: 1, file });
            const csv = await readFile(file, 'utf8');
            return { csv, fileName: csvName(filters), origin: 'cache' as const };
          } finally {
            await rm(file, { force: true });
          }
        },
      ),
    'teams.overview': async () => {
      const [list, users] = await Promise.all([
        teams('GET', '/v1/teams', undefined, z.array(teamSchema)),
        teams('GET', '/v1/users', undefined, z.array(userSchema)),
      ]);
      return {
        teams: list.filter((t) => t.deletedAt === null),
        users: users.filter((u) => !u.deletedAt).map((u) => ({ id: u.id, name: u.name, role: u.role })),
      };
    },
    'teams.create': async (input) => changed(await teams('POST', '/v1/teams', input, teamSchema)),
    'teams.update': async ({ teamId, changes }) => changed(await teams('PATCH', `/v1/teams/${encodeURIComponent(teamId)}`, changes, teamSchema)),
    'teams.setMembers': async ({ teamId, memberIds }) => changed(await teams('PUT', `/v1/teams/${encodeURIComponent(teamId)}/members`, { memberIds }, teamSchema)),
    'teams.delete': async ({ teamId }) => changed(await teams('DELETE', `/v1/teams/${encodeURIComponent(teamId)}`, undefined, teamSchema)),
  };
}
