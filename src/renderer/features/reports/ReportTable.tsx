import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ReportRow, ReportSort } from '../../../shared/cloud/reports';
import { formatPhone } from '../../lib/phone';
import { formatSeconds, SOURCE_LABELS, STATUS_LABELS } from './report-labels';
import { ensureRows, sortBy } from './reports-actions';
import { useReports } from './reports-store';

const ROW_HEIGHT = 40;
const COLUMNS: ReadonlyArray<{ sort: ReportSort | null; label: string; cell: (r: ReportRow, timezone: string) => string }> = [
  { sort: 'startedAt', label: 'Date', cell: (r, tz) => new Date(r.startedAt).toLocaleString(undefined, { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }) },
  { sort: 'contact', label: 'Contact', cell: (r) => (r.contactName ? `${r.contactName} · ${formatPhone(r.remoteNumber)}` : formatPhone(r.remoteNumber)) },
  { sort: 'direction', label: 'Direction', cell: (r) => (r.direction === 'inbound' ? 'In' : 'Out') },
  { sort: 'line', label: 'Line', cell: (r) => r.lineName ?? '—' },
  { sort: 'user', label: 'User', cell: (r) => r.userName ?? '—' },
  { sort: 'team', label: 'Team', cell: (r) => r.teamNames.join(', ') || '—' },
  { sort: 'status', label: 'Status', cell: (r) => `${STATUS_LABELS[r.status]}${r.source !== 'softphone' ? ` · ${SOURCE_LABELS[r.source]}` : ''}` },
  { sort: 'ring', label: 'Ring', cell: (r) => formatSeconds(r.ringSeconds) },
  { sort: 'talk', label: 'Talk', cell: (r) => formatSeconds(r.talkSeconds) },
  { sort: 'disposition', label: 'Disposition', cell: (r) => (r.dispositionLabel ? `${r.dispositionLabel}${r.dispositionDeleted ? ' (deleted)' : ''}` : '—') },
  { sort: null, label: 'Note', cell: (r) => (r.hasNote ? 'Yes' : '') },
];

/**
 * One row per call, virtualised (only the visible rows exist in the page; pages of 200 arrive as the
 * list scrolls), so 100,000 calls scroll as smoothly as 100. Column headers sort (again: reverse).
 */
export function ReportTable(props: { timezone: string }) {
  const total = useReports((s) => s.total);
  const rows = useReports((s) => s.rows);
  const sort = useReports((s) => s.sort);
  const order = useReports((s) => s.order);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtual.getVirtualItems();
  useEffect(() => {
    for (const item of items) if (!rows.has(item.index)) void ensureRows(item.index);
  }, [items, rows]);
  return (
    <div className="report-table" role="table" aria-label="Calls" aria-rowcount={total + 1}>
      <div role="rowgroup" className="report-table-head">
        <div role="row" aria-rowindex={1} className="report-row">
          {COLUMNS.map((c) => (
            <div
              key={c.label}
              role="columnheader"
              aria-sort={c.sort && c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
              className={`col col-${c.label.toLowerCase()}`}
            >
              {c.sort ? (
                <button type="button" onClick={() => void sortBy(c.sort!)}>
                  {c.label}
                  {c.sort === sort ? <span aria-hidden="true">{order === 'asc' ? ' ▲' : ' ▼'}</span> : null}
                </button>
              ) : (
                c.label
              )}
            </div>
          ))}
          <div role="columnheader" className="col col-recording">
            Recording
          </div>
        </div>
      </div>
      <div ref={scroller} className="report-table-body" role="rowgroup" tabIndex={0} aria-label="Calls, scroll to see more">
        {total === 0 ? <p className="muted report-empty">No calls match these filters.</p> : null}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows.get(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className="report-row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <>
                    {COLUMNS.map((c) => (
                      <div key={c.label} role="cell" className={`col col-${c.label.toLowerCase()}`}>
                        {c.cell(row, props.timezone)}
                      </div>
                    ))}
                    <div role="cell" className="col col-recording">
                      {row.recordingUrl ? (
                        <a href={row.recordingUrl} target="_blank" rel="noreferrer">
                          Listen
                        </a>
                      ) : null}
                    </div>
                  </>
                ) : (
                  <div role="cell" className="col muted">
                    Loading…
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
