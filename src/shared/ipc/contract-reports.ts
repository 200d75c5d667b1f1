import { z } from 'zod';
import { roleSchema, teamSchema } from '../cloud/entities';
import { reportFiltersSchema, reportOptionsSchema, reportPageSchema, reportRowsQuerySchema, reportSummarySchema, reportSortSchema } from '../cloud/reports';
import { createTeamSchema, setTeamMembersSchema, updateTeamSchema } from '../cloud/teams';

/**
 * IPC channels of Call Reporting (issue [reporting]) and Settings → Team. Merged into `ipcChannels`
 * by contract.ts; the reporting feature owns this file. Reports come from the cloud when it answers
 * and from this computer's cache (the receptionist's own calls) when it does not: every answer says
 * which (`origin`). Teams are managed online by admins.
 */

const id = z.string().min(1).max(64);

export const reportRowsInputSchema = z.object({ filters: reportFiltersSchema, ...reportRowsQuerySchema.shape });
export const reportCsvInputSchema = z.object({ filters: reportFiltersSchema, sort: reportSortSchema.default('startedAt'), order: z.enum(['asc', 'desc']).default('desc') });
export const reportCsvSchema = z.object({
  /** The file's text (UTF-8 with a byte-order mark, so spreadsheets read accents). */
  csv: z.string(),
  fileName: z.string(),
  origin: z.enum(['cloud', 'cache']),
});
export type ReportCsv = z.infer<typeof reportCsvSchema>;

/** A practice member as Settings → Team lists them. */
export const teamMemberOptionSchema = z.object({ id, name: z.string(), role: roleSchema });
export const teamsOverviewSchema = z.object({ teams: z.array(teamSchema), users: z.array(teamMemberOptionSchema) });
export type TeamsOverview = z.infer<typeof teamsOverviewSchema>;

export const reportsChannels = {
  'reports.options': { input: z.undefined(), output: reportOptionsSchema },
  'reports.summary': { input: z.object({ filters: reportFiltersSchema }), output: reportSummarySchema },
  'reports.rows': { input: reportRowsInputSchema, output: reportPageSchema },
  'reports.exportCsv': { input: reportCsvInputSchema, output: reportCsvSchema },
  'teams.overview': { input: z.undefined(), output: teamsOverviewSchema },
  'teams.create': { input: createTeamSchema, output: teamSchema },
  'teams.update': { input: z.object({ teamId: id, changes: updateTeamSchema }), output: teamSchema },
  'teams.setMembers': { input: z.object({ teamId: id, ...setTeamMembersSchema.shape }), output: teamSchema },
  'teams.delete': { input: z.object({ teamId: id }), output: teamSchema },
} as const;
