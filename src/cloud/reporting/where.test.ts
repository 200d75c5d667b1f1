import { describe, expect, it } from 'vitest';
import { reportFiltersSchema } from '../../shared/cloud/reports';
import { reportWhere, type ReportSelection } from './where';

const selection = (over: Partial<ReportSelection> = {}, filters = {}): ReportSelection => ({
  accountId: 'acc_1', timezone: 'America/Los_Angeles', startUtc: '2024-03-01T08:00:00.000Z', endUtc: '2024-04-01T07:00:00.000Z',
  filters: reportFiltersSchema.parse(filters), ownUserId: null, teamMemberIds: null, ...over,
});

describe('the report filters as SQL', () => {
  it('always scopes to the account and the range', () => {
    expect(reportWhere(selection())).toEqual({
      sql: 'k.account_id = $1\n   AND k.started_at >= $2::timestamptz\n   AND k.started_at < $3::timestamptz',
      params: ['acc_1', '2024-03-01T08:00:00.000Z', '2024-04-01T07:00:00.000Z'],
    });
  });

  it('numbers parameters from where it is told to', () => {
    expect(reportWhere(selection(), 2).sql).toContain('k.account_id = $2');
  });

  it("a user's calls are the ones they handled and the unanswered ones that rang them", () => {
    const { sql, params } = reportWhere(selection({ ownUserId: 'usr_me' }, { userIds: ['usr_a', 'usr_b'] }));
    expect(sql).toContain('(k.user_id = ANY($4::text[]) OR (k.user_id IS NULL AND k.rang_user_ids ?| $4::text[]))');
    expect(sql).toContain('(k.user_id = ANY($5::text[]) OR (k.user_id IS NULL AND k.rang_user_ids ?| $5::text[]))');
    expect(params.slice(3)).toEqual([['usr_me'], ['usr_a', 'usr_b']]);
  });

  it('a team with no members selects nothing', () => {
    expect(reportWhere(selection({ teamMemberIds: [] })).sql).toMatch(/AND false$/);
  });

  it('"none" selects calls without a disposition, alone or with others', () => {
    expect(reportWhere(selection({}, { dispositionIds: ['none'] })).sql).toMatch(/AND k\.disposition_id IS NULL$/);
    const both = reportWhere(selection({}, { dispositionIds: ['dsp_1', 'none'] }));
    expect(both.sql).toMatch(/AND \(k\.disposition_id = ANY\(\$4::text\[\]\) OR k\.disposition_id IS NULL\)$/);
    expect(both.params[3]).toEqual(['dsp_1']);
  });

  it('every other filter is one condition with its values as parameters, never in the SQL text', () => {
    const { sql, params } = reportWhere(selection({}, {
      locationIds: ["loc'; DROP TABLE calls; --"], lineIds: ['num_1'], directions: ['inbound'], statuses: ['missed'], sources: ['workflow'],
      minTalkSeconds: 10, maxTalkSeconds: 20, weekdays: [0], hours: [9],
    }));
    expect(sql).not.toContain('DROP');
    expect(sql).toContain('k.location_id = ANY($4::text[])');
    expect(sql).toContain('k.phone_number_id = ANY($5::text[])');
    expect(sql).toContain('k.direction = ANY($6::text[])');
    expect(sql).toContain('k.report_status = ANY($7::text[])');
    expect(sql).toContain('k.source = ANY($8::text[])');
    expect(sql).toContain('coalesce(k.talk_seconds, 0) >= $9::int');
    expect(sql).toContain('coalesce(k.talk_seconds, 0) <= $10::int');
    expect(sql).toContain('(extract(isodow FROM (k.started_at AT TIME ZONE $11::text))::int - 1) = ANY($12::int[])');
    expect(sql).toContain('extract(hour FROM (k.started_at AT TIME ZONE $11::text))::int = ANY($13::int[])');
    expect(params.slice(3)).toEqual([["loc'; DROP TABLE calls; --"], ['num_1'], ['inbound'], ['missed'], ['workflow'], 10, 20, 'America/Los_Angeles', [0], [9]]);
  });
});
