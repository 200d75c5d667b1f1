import { useEffect, useId, useRef, useState } from 'react';
import type { MetricRecipients, WorkflowStatistics } from '../../../shared/cloud/workflows';
import { getBridge } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { TableScroll } from '../../ui/TableScroll';

type StepStatistics = WorkflowStatistics['steps'][number];
interface OpenMetric {
  stepId: string;
  stepName: string;
  metric: string;
}

const metricLabel = (metric: string): string => `${metric[0]!.toUpperCase()}${metric.slice(1).replace(/_/g, ' ')}`;
const when = (iso: string): string => new Date(iso).toLocaleString();

/**
 * Send Email statistics the article lists that this mail setup has no source for: Stored and
 * Complained need a mail provider's event feed (plain SMTP reports neither). Named as not tracked
 * rather than shown as counts that never move.
 */
export const UNTRACKED_EMAIL_METRICS = ['stored', 'complained'] as const;

/**
 * The statistics a step shows. Send Email always shows Replied (replies arrive through the inbound
 * email webhook), 0 until the first one, so a practice sees it is counted.
 */
export function shownMetrics(s: Pick<StepStatistics, 'type' | 'metrics'>): [string, number][] {
  const metrics = Object.entries(s.metrics);
  return s.type === 'send_email' && s.metrics.replied === undefined ? [...metrics, ['replied', 0]] : metrics;
}

/**
 * The per-action statistics of the execution log: per step, its log entries by status and its
 * statistics, each count a button that lists who it counts (the article's "recipient details").
 */
export function ExecutionLogStatistics(props: { workflowId: string; stats: WorkflowStatistics }) {
  const { stats } = props;
  const [open, setOpen] = useState<OpenMetric | null>(null);
  const panelId = useId();
  // Closing the list puts the keyboard back on the count that opened it.
  const opener = useRef<HTMLButtonElement | null>(null);
  const close = () => {
    setOpen(null);
    opener.current?.focus();
  };
  const isOpen = (s: StepStatistics, metric: string) => open?.stepId === s.stepId && open.metric === metric;
  return (
    <>
      <TableScroll label="Per-action statistics">
        <table className="automation-table">
          <caption>
            Per-action statistics ({stats.runs.total} {stats.runs.total === 1 ? 'run' : 'runs'}: {stats.runs.completed} completed, {stats.runs.waiting + stats.runs.running} in progress, {stats.runs.failed} failed, {stats.runs.stopped} stopped)
          </caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Log entries</th>
              <th scope="col">Statistics</th>
            </tr>
          </thead>
          <tbody>
            {stats.steps.map((s) => (
              <tr key={s.stepId}>
                <th scope="row">{s.name}</th>
                <td>{Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}</td>
                <td>
                  <div className="automation-row metric-buttons">
                    {shownMetrics(s).map(([metric, count]) => (
                      <button
                        key={metric}
                        type="button"
                        aria-expanded={isOpen(s, metric)}
                        aria-controls={isOpen(s, metric) ? panelId : undefined}
                        aria-label={`${metricLabel(metric)} ${count}: ${isOpen(s, metric) ? 'hide' : 'show'} recipients of ${s.name}`}
                        onClick={(e) => {
                          opener.current = e.currentTarget;
                          setOpen(isOpen(s, metric) ? null : { stepId: s.stepId, stepName: s.name, metric });
                        }}
                      >
                        {metricLabel(metric)} {count}
                      </button>
                    ))}
                    {shownMetrics(s).length === 0 ? '—' : null}
                  </div>
                  {s.type === 'send_email' ? (
                    <div className="muted">{UNTRACKED_EMAIL_METRICS.map(metricLabel).join(', ')}: not tracked by this mail setup</div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {open ? <MetricRecipientsPanel key={`${open.stepId}/${open.metric}`} id={panelId} workflowId={props.workflowId} open={open} onClose={close} /> : null}
    </>
  );
}

/** Who one statistic counts, newest first, a page at a time. */
function MetricRecipientsPanel(props: { id: string; workflowId: string; open: OpenMetric; onClose: () => void }) {
  const { stepId, stepName, metric } = props.open;
  const [page, setPage] = useState<MetricRecipients | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const load = async (offset: number) => {
    setLoading(true);
    const result = await getBridge().automation.statisticRecipients({ workflowId: props.workflowId, stepId, metric, offset });
    setLoading(false);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setPage((shown) => (offset > 0 && shown ? { total: result.value.total, recipients: [...shown.recipients, ...result.value.recipients] } : result.value));
  };
  useEffect(() => {
    void load(0);
    heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one panel per statistic (keyed): load its first page once
  }, []);
  const title = `${metricLabel(metric)}: ${stepName}`;
  const more = page !== null && page.recipients.length < page.total;
  return (
    <section id={props.id} className="metric-recipients" aria-labelledby={`${props.id}-heading`}>
      <h4 id={`${props.id}-heading`} ref={heading} tabIndex={-1}>
        {title}
      </h4>
      <ErrorAlert message={error} />
      {page === null ? (
        error ? null : <p>Loading the recipients…</p>
      ) : page.total === 0 ? (
        <p>No recipients recorded for this statistic.</p>
      ) : (
        <ul>
          {page.recipients.map((r) => (
            <li key={`${r.runId}/${r.recipient}`}>
              {r.contactName && r.contactName !== r.recipient ? `${r.contactName} — ${r.recipient}` : r.recipient} <span className="muted">{when(r.at)}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="automation-row">
        {page && page.total > 0 ? (
          <span className="muted" role="status">
            {page.recipients.length} of {page.total} {page.total === 1 ? 'recipient' : 'recipients'} shown.
          </span>
        ) : null}
        {more ? (
          <button type="button" disabled={loading} onClick={() => void load(page.recipients.length)}>
            {loading ? 'Loading more recipients…' : 'Show more recipients'}
          </button>
        ) : null}
        <button type="button" onClick={props.onClose}>
          Close recipients
        </button>
      </div>
    </section>
  );
}
