import { useEffect, useMemo } from 'react';
import { addDays } from '../../../shared/reporting/dates';
import { useCacheVersion } from '../../state/cache-versions';
import { useMyUserId } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { HeatMap } from './HeatMap';
import { keyNamer, StackedChart } from './ReportCharts';
import { ReportFilters } from './ReportFilters';
import { ReportTable } from './ReportTable';
import { ReportTiles } from './ReportTiles';
import { exportCsv, loadReportOptions, refreshReport, setFilters } from './reports-actions';
import { reportsFor, useReports } from './reports-store';
import './reports.css';

/** How long to wait after a change arrives before asking again (a burst of changes → one query). */
const LIVE_DEBOUNCE_MS = 750;

/**
 * Reporting → Call Reporting: filters, figures, charts (each click filters the table), the table and
 * the CSV export. Live: a call or disposition that reaches this computer (realtime → sync) refreshes
 * the report. Admins see the practice; receptionists their own calls.
 */
export function ReportsView() {
  const userId = useMyUserId();
  // Nothing of someone else's report shows, not even for the frame before it is reset.
  const summary = useReports((s) => (s.userId === userId ? s.summary : null));
  const options = useReports((s) => s.options);
  const error = useReports((s) => s.error);
  const loading = useReports((s) => s.loading);
  const exportMessage = useReports((s) => s.exportMessage);
  const filters = useReports((s) => s.filters);
  const live = useCacheVersion('calls') + useCacheVersion('dispositions') + useCacheVersion('teams');

  useEffect(() => {
    reportsFor(userId);
    void loadReportOptions();
    void refreshReport();
  }, [userId]);
  useEffect(() => {
    if (live === 0) return;
    const timer = setTimeout(() => {
      void loadReportOptions();
      void refreshReport();
    }, LIVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [live]);

  const dispositions = useMemo(() => (options?.dispositions ?? []).map((d) => ({ id: d.id, name: d.deleted ? `${d.name} (deleted)` : d.name })), [options]);
  const withDisposition = (dispositionId: string | null) => (dispositionId ? { dispositionIds: [dispositionId] } : {});
  const pickTime = (key: string) => {
    if (!summary) return;
    if (summary.bucket === 'hour') void setFilters({ preset: 'custom', from: key.slice(0, 10), to: key.slice(0, 10), hours: [Number(key.slice(11))] });
    else if (summary.bucket === 'week') void setFilters({ preset: 'custom', from: key, to: addDays(key, 6) });
    else void setFilters({ preset: 'custom', from: key, to: key });
  };

  return (
    <div className="reports">
      <header className="reports-header">
        <h2>Call Reporting</h2>
        <button type="button" onClick={() => void exportCsv()} disabled={!summary}>
          Export CSV
        </button>
      </header>
      {summary?.origin === 'cache' ? (
        <p className="report-offline" role="status">
          Offline: your own calls from this computer’s copy. The practice’s figures return when the cloud answers.
        </p>
      ) : summary?.scope === 'own' ? (
        <p className="muted">Your own calls: the ones you handled and the unanswered calls that rang you.</p>
      ) : null}
      <ReportFilters />
      <ErrorAlert message={error} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {loading ? 'Updating the report…' : summary ? `${summary.tiles.totalCalls} calls from ${summary.range.from} to ${summary.range.to}` : ''}
      </p>
      <p className="report-export" role="status">
        {exportMessage ?? ''}
      </p>
      {summary ? (
        <>
          <p className="muted report-range-text">
            {summary.range.from} to {summary.range.to} ({summary.timezone}) · updated {new Date(summary.generatedAt).toLocaleTimeString()}
          </p>
          <ReportTiles summary={summary} />
          <div className="report-charts">
            {summary.scope === 'account' ? (
              <StackedChart
                title="Dispositions per user"
                series={summary.byUser}
                nameOf={keyNamer(options, 'user')}
                dispositions={dispositions}
                pickLabel="Show the calls of"
                onPick={(key, d) => void setFilters({ userIds: [key], ...withDisposition(d) })}
              />
            ) : null}
            <StackedChart
              title="Dispositions per team"
              series={summary.byTeam}
              nameOf={keyNamer(options, 'team')}
              dispositions={dispositions}
              pickLabel="Show the calls of team"
              onPick={(key, d) => void setFilters({ teamIds: [key], ...withDisposition(d) })}
            />
            <StackedChart
              title={`Dispositions over time (per ${summary.bucket})`}
              series={summary.overTime.filter((s) => s.total > 0)}
              nameOf={keyNamer(options, 'time')}
              dispositions={dispositions}
              pickLabel="Show the calls of"
              onPick={(key, d) => {
                pickTime(key);
                if (d) void setFilters(withDisposition(d));
              }}
            />
          </div>
          <div className="report-heats">
            <HeatMap title="Calls by weekday and hour" cells={summary.heatmap.calls} tone="calls" onPick={(d, h) => void setFilters({ weekdays: [d], hours: [h] })} />
            <HeatMap
              title="Missed calls by weekday and hour"
              cells={summary.heatmap.missed}
              tone="missed"
              onPick={(d, h) => void setFilters({ weekdays: [d], hours: [h], statuses: ['missed', 'voicemail'] })}
            />
          </div>
          <h3 className="report-table-title">Calls{filters.weekdays?.length || filters.userIds?.length || filters.teamIds?.length ? ' (filtered from a chart)' : ''}</h3>
          <ReportTable timezone={summary.timezone} />
        </>
      ) : !error ? (
        <p className="placeholder">Loading the report…</p>
      ) : null}
    </div>
  );
}
