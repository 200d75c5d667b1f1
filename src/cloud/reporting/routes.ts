import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  reportCsvRequestSchema,
  reportFiltersQuerySchema,
  reportOptionsSchema,
  reportPageSchema,
  reportRowsRequestSchema,
  reportSummarySchema,
  type ReportFilters,
} from '../../shared/cloud/reports';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import type { FeatureRoutes } from '../http/router';
import { csvHeader, csvLine } from '../../shared/reporting/csv';
import { ReportGate } from './gate';
import { reportOptions } from './options';
import { resolveReport, type ResolvedReport } from './selection';
import { reportSummary } from './summary';
import { reportPage, reportRowsInOrder } from './table';

/** PostgreSQL cancelled a statement (our statement_timeout). */
const isCancelled = (error: unknown): boolean => (error as { code?: string })?.code === '57014';

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCancelled(error)) throw new ApiError('SERVICE_UNAVAILABLE', 'This report took too long to prepare; choose a shorter range or more filters');
    throw error;
  }
}

/**
 * Call Reporting: the filter choices, the figures and charts, the table and its CSV. Everyone
 * signed in may call them; a receptionist's answers cover only their own calls (resolveReport).
 */
export const reportingRoutes: FeatureRoutes = (router, ctx) => {
  const gate = ctx.db.kind === 'pglite' ? new ReportGate(1, 10) : new ReportGate(3, 20);
  const resolve = (principal: Principal, filters: ReportFilters): Promise<ResolvedReport> => resolveReport(ctx, principal, filters);

  router.add({
    method: 'GET', url: '/v1/reports/options', tag: 'reporting', access: 'user', summary: "The report filters' choices and the practice's time zone",
    response: reportOptionsSchema,
    handler: ({ principal }) => reportOptions(ctx, principal),
  });
  router.add({
    method: 'GET', url: '/v1/reports/calls/summary', tag: 'reporting', access: 'user',
    summary: 'Figures and charts of the filtered calls (tiles, dispositions per user, team and time, heat maps)',
    query: reportFiltersQuerySchema, response: reportSummarySchema,
    handler: ({ principal, query }) => gate.run(() => guarded(async () => reportSummary(ctx.db, await resolve(principal, query)))),
  });
  router.add({
    method: 'GET', url: '/v1/reports/calls', tag: 'reporting', access: 'user', summary: 'One page of the filtered calls, sorted (the total on the first page)',
    query: reportRowsRequestSchema, response: reportPageSchema,
    handler: ({ principal, query }) =>
      gate.run(() => guarded(async () => reportPage(ctx.db, await resolve(principal, query), query))),
  });
  router.add({
    method: 'GET', url: '/v1/reports/calls.csv', tag: 'reporting', access: 'user', summary: 'Every filtered call as CSV, in the table\'s order (streamed)',
    query: reportCsvRequestSchema, response: z.string(),
    handler: async ({ principal, query, reply }) => {
      const report = await resolve(principal, query);
      return csvResponse(ctx, gate, report, query.sort, query.order, reply);
    },
  });
};

async function csvResponse(
  ctx: CloudContext,
  gate: ReportGate,
  report: ResolvedReport,
  sort: Parameters<typeof reportRowsInOrder>[2],
  order: Parameters<typeof reportRowsInOrder>[3],
  reply: { header(name: string, value: string): unknown; type(value: string): unknown },
): Promise<Readable> {
  // The slot is held until the last row is written or the client goes away.
  const release = await gate.hold();
  async function* lines(): AsyncGenerator<string> {
    try {
      yield '\uFEFF' + csvHeader(); // the BOM makes spreadsheets read UTF-8 names correctly
      for await (const rows of reportRowsInOrder(ctx.db, report, sort, order)) {
        yield rows.map(csvLine).join('');
      }
    } catch (error) {
      ctx.log.warn({ err: error }, 'CSV export failed part way; the download is cut short');
      throw error;
    } finally {
      release();
    }
  }
  const { from, to } = report.range;
  reply.type('text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="calls-${from}-to-${to}.csv"`);
  reply.header('cache-control', 'no-store');
  const stream = Readable.from(lines(), { objectMode: false });
  // A client that goes away before the first row never starts the generator: free the slot anyway.
  stream.once('close', release);
  return stream;
}
