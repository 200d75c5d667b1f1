import { z } from 'zod';
import { DATE_PRESETS, isLocalDate, daysBetween } from '../reporting/dates';
import { REPORT_STATUSES } from '../reporting/status';
import { callDirectionSchema, callSourceSchema } from './entities';

/**
 * Call Reporting on the wire: the filters (one set for the figures, the table and the CSV), the
 * figures, the table's rows and the filter choices. The desktop computes the same shapes offline
 * from its cache, so the screen renders either the same way.
 */

const id = z.string().min(1).max(64);
export const reportStatusSchema = z.enum(REPORT_STATUSES);
export const localDateSchema = z.string().refine(isLocalDate, 'Expected a date as YYYY-MM-DD');
/** Disposition filter value for calls with no disposition. */
export const NO_DISPOSITION = 'none';
/** Longest custom range (a little over three years). */
export const MAX_RANGE_DAYS = 1100;

const ids = z.array(id).max(100);
export const reportFiltersSchema = z
  .object({
    preset: z.enum(DATE_PRESETS).default('last7'),
    /** Inclusive local dates (practice time zone); only for `custom`. */
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    /** Disposition ids (deleted ones too) and/or `none`. */
    dispositionIds: ids.default([]),
    userIds: ids.default([]),
    teamIds: ids.default([]),
    locationIds: ids.default([]),
    /** Phone number ids (the practice line the call used). */
    lineIds: ids.default([]),
    directions: z.array(callDirectionSchema).max(2).default([]),
    statuses: z.array(reportStatusSchema).max(REPORT_STATUSES.length).default([]),
    sources: z.array(callSourceSchema).max(4).default([]),
    /** Talk time range in seconds (unanswered calls count as 0). */
    minTalkSeconds: z.number().int().min(0).max(86_400).optional(),
    maxTalkSeconds: z.number().int().min(0).max(86_400).optional(),
    /** Local weekday (0 = Monday) and hour, from a heat-map cell. */
    weekdays: z.array(z.number().int().min(0).max(6)).max(7).default([]),
    hours: z.array(z.number().int().min(0).max(23)).max(24).default([]),
  })
  .superRefine((f, ctx) => {
    if (f.preset === 'custom') {
      if (!f.from || !f.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'A custom range needs both dates' });
      else if (!isLocalDate(f.from) || !isLocalDate(f.to)) return; // already refused by localDateSchema
      else if (f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The range ends before it starts' });
      else if (daysBetween(f.from, f.to) >= MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `A range can span at most ${MAX_RANGE_DAYS} days` });
    }
    if (f.minTalkSeconds !== undefined && f.maxTalkSeconds !== undefined && f.minTalkSeconds > f.maxTalkSeconds) {
      ctx.addIssue({ code: 'custom', path: ['maxTalkSeconds'], message: 'The longest duration is shorter than the shortest' });
    }
  });
export type ReportFilters = z.output<typeof reportFiltersSchema>;
export type ReportFiltersInput = z.input<typeof reportFiltersSchema>;

const LIST_KEYS = ['dispositionIds', 'userIds', 'teamIds', 'locationIds', 'lineIds', 'directions', 'statuses', 'sources', 'weekdays', 'hours'] as const;
const NUMBER_LIST_KEYS: ReadonlySet<string> = new Set(['weekdays', 'hours']);

/**
 * A GET query → the filters' object form: lists travel comma-separated (or as repeated keys),
 * numbers as text. Anything else is passed on for `reportFiltersSchema` to judge.
 */
function fromQuery(raw: Record<string, unknown>): unknown {
  return fromQueryValue(raw);
}
function fromQueryValue(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object') return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if ((LIST_KEYS as readonly string[]).includes(key)) {
      const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter((v) => v !== '');
      out[key] = NUMBER_LIST_KEYS.has(key) ? items.map((v) => (/^\d+$/.test(v) ? Number(v) : v)) : items;
    } else if ((key === 'minTalkSeconds' || key === 'maxTalkSeconds') && typeof value === 'string' && /^\d+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const listText = z.union([z.string(), z.array(z.string())]).optional();
/** The query string as a client sends it (lists comma-separated or repeated; documented in the OpenAPI document). */
const filtersQueryShape = {
  preset: z.enum(DATE_PRESETS).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  dispositionIds: listText,
  userIds: listText,
  teamIds: listText,
  locationIds: listText,
  lineIds: listText,
  directions: listText,
  statuses: listText,
  sources: listText,
  weekdays: listText,
  hours: listText,
  minTalkSeconds: z.string().optional(),
  maxTalkSeconds: z.string().optional(),
};

/** The filters as a GET query (every report route takes them). */
export const reportFiltersQuerySchema = z.object(filtersQueryShape).transform(fromQuery).pipe(reportFiltersSchema);

/** Filters → query string pairs (what `reportFiltersQuerySchema` reads back). */
export function reportFiltersToQuery(filters: ReportFiltersInput): Record<string, string> {
  const out: Record<string, string> = {};
  const f = filters as Record<string, unknown>;
  if (filters.preset) out.preset = filters.preset;
  if (filters.from) out.from = filters.from;
  if (filters.to) out.to = filters.to;
  for (const key of LIST_KEYS) {
    const list = f[key] as unknown[] | undefined;
    if (list && list.length > 0) out[key] = list.join(',');
  }
  if (filters.minTalkSeconds !== undefined) out.minTalkSeconds = String(filters.minTalkSeconds);
  if (filters.maxTalkSeconds !== undefined) out.maxTalkSeconds = String(filters.maxTalkSeconds);
  return out;
}

const count = z.number().int().min(0);
/** Calls per disposition id (`none` for calls without one). */
const dispositionCounts = z.record(z.string(), count);

export const reportTotalsSchema = z.object({
  calls: count,
  inbound: count,
  answered: count,
  missed: count,
  voicemail: count,
  blocked: count,
  external: count,
  noAnswer: count,
  live: count,
  withDisposition: count,
  /** Inbound answered calls and their summed time to answer (average speed to answer). */
  answeredInbound: count,
  speedToAnswerSeconds: count,
  /** Answered, ended calls and their summed talk time. */
  talkedCalls: count,
  talkSeconds: count,
});
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

export const reportTilesSchema = z.object({
  totalCalls: count,
  /** Percentages of all calls in the filter, 0–100, one decimal; null with no calls. */
  answeredPct: z.number().nullable(),
  /** Unanswered inbound calls (missed + voicemail). */
  missedPct: z.number().nullable(),
  avgSpeedToAnswerSeconds: z.number().nullable(),
  avgTalkSeconds: z.number().nullable(),
  dispositionPct: z.number().nullable(),
});
export type ReportTiles = z.infer<typeof reportTilesSchema>;

export const reportSeriesSchema = z.object({ key: z.string(), counts: dispositionCounts, total: count });
export type ReportSeries = z.infer<typeof reportSeriesSchema>;

const heatRow = z.array(count).length(24);
export const reportSummarySchema = z.object({
  timezone: z.string(),
  /** `own`: a receptionist's own calls (handled by them, or unanswered calls that rang them). */
  scope: z.enum(['account', 'own']),
  range: z.object({ from: localDateSchema, to: localDateSchema, startUtc: z.string(), endUtc: z.string() }),
  bucket: z.enum(['hour', 'day', 'week']),
  totals: reportTotalsSchema,
  tiles: reportTilesSchema,
  /** Dispositions per handling user (calls nobody handled are not in this chart). Key: user id. */
  byUser: z.array(reportSeriesSchema),
  /** Dispositions per team of the handling user (a user in two teams counts in both). Key: team id. */
  byTeam: z.array(reportSeriesSchema),
  /** Dispositions per time bucket, every bucket of the range in order. Key: bucket key. */
  overTime: z.array(reportSeriesSchema),
  /** [weekday 0 = Monday][local hour]. */
  heatmap: z.object({ calls: z.array(heatRow).length(7), missed: z.array(heatRow).length(7) }),
  generatedAt: z.string(),
  /** Where the figures came from: the cloud, or this computer's copy while offline. */
  origin: z.enum(['cloud', 'cache']),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

export const REPORT_SORTS = ['startedAt', 'contact', 'direction', 'line', 'user', 'team', 'status', 'ring', 'talk', 'disposition'] as const;
export const reportSortSchema = z.enum(REPORT_SORTS);
export type ReportSort = z.infer<typeof reportSortSchema>;
export const MAX_REPORT_PAGE = 500;

export const reportRowsQuerySchema = z.object({
  sort: reportSortSchema.default('startedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_REPORT_PAGE).default(200),
});
export type ReportRowsQuery = z.infer<typeof reportRowsQuerySchema>;

export const reportRowSchema = z.object({
  id,
  startedAt: z.string(),
  direction: callDirectionSchema,
  status: reportStatusSchema,
  source: callSourceSchema,
  contactId: id.nullable(),
  contactName: z.string().nullable(),
  /** The other party's number. */
  remoteNumber: z.string(),
  lineId: id.nullable(),
  lineName: z.string().nullable(),
  userId: id.nullable(),
  userName: z.string().nullable(),
  /** The handling user's teams. */
  teamNames: z.array(z.string()),
  ringSeconds: z.number().int().nullable(),
  talkSeconds: z.number().int().nullable(),
  dispositionId: id.nullable(),
  dispositionLabel: z.string().nullable(),
  dispositionDeleted: z.boolean(),
  hasNote: z.boolean(),
  recordingUrl: z.string().nullable(),
  /** Set when a user transferred the call to the one who ended up handling it. */
  transferredFromUserId: id.nullable(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const reportPageSchema = z.object({
  rows: z.array(reportRowSchema),
  offset: z.number().int(),
  /** Every row the filters match (the table's length): counted for the first page only, null after. */
  total: count.nullable(),
  origin: z.enum(['cloud', 'cache']),
});
export type ReportPage = z.infer<typeof reportPageSchema>;

const option = z.object({ id, name: z.string(), deleted: z.boolean() });
export const reportOptionsSchema = z.object({
  timezone: z.string(),
  scope: z.enum(['account', 'own']),
  /** Every disposition, deleted ones too (they still label history), picker order. */
  dispositions: z.array(option.extend({ position: z.number().int() })),
  users: z.array(option),
  teams: z.array(option),
  locations: z.array(option),
  lines: z.array(option.extend({ number: z.string() })),
});
export type ReportOptions = z.infer<typeof reportOptionsSchema>;

/** The CSV's columns, in order (both the cloud's export and tests read them). */
export const REPORT_CSV_COLUMNS = [
  'Date', 'Time', 'Contact', 'Number', 'Direction', 'Line', 'User', 'Team', 'Status', 'Source', 'Ring time (s)', 'Talk time (s)',
  'Disposition', 'Note', 'Recording', 'Call ID',
] as const;

const pageQueryShape = { sort: z.enum(REPORT_SORTS).optional(), order: z.enum(['asc', 'desc']).optional(), offset: z.string().optional(), limit: z.string().optional() };
/** The table's query: the filters plus sort and page. */
export const reportRowsRequestSchema = z
  .object({ ...filtersQueryShape, ...pageQueryShape })
  .transform(fromQuery)
  .pipe(z.intersection(reportFiltersSchema, reportRowsQuerySchema));
export type ReportRowsRequest = z.output<typeof reportRowsRequestSchema>;
/** The CSV export's query: the filters plus the table's sort. */
export const reportCsvRequestSchema = z
  .object({ ...filtersQueryShape, sort: pageQueryShape.sort, order: pageQueryShape.order })
  .transform(fromQuery)
  .pipe(z.intersection(reportFiltersSchema, reportRowsQuerySchema.pick({ sort: true, order: true })));
