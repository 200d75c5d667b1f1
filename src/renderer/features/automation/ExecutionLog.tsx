import { useCallback, useEffect, useId, useState } from 'react';
import type { RunStep, WorkflowStatistics } from '../../../shared/cloud/workflows';
import { actionTypes } from '../../../shared/cloud/workflows';
import { LOG_PAGE_SIZE, type WorkflowLogQuery } from '../../../shared/ipc/contract-automation';
import { getBridge } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { actionLabels } from './action-catalog';
import { ExecutionLogStatistics } from './ExecutionLogStatistics';
import { SelectField } from './fields';
import { TableScroll } from '../../ui/TableScroll';

const statuses = ['completed', 'error', 'skipped', 'waiting', 'running', 'pending', 'removed'] as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const brief = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value).slice(0, 300));

/** Names for the contacts in the log (from this computer's copy of the contacts). */
function useContactNames(ids: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(
      key.split(',').filter(Boolean).map(async (contactId) => {
        const r = await getBridge().contacts.get({ contactId });
        return [contactId, r.ok && r.value ? r.value.name : contactId] as const;
      }),
    ).then((pairs) => live && setNames(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

/**
 * The execution log of one workflow (or one contact): one row per step of each run with status,
 * time, reason, input/output and blank merge fields; filters by status, action, contact and date;
 * per-action statistics (Delivered, Opened, Clicked…) as the actions record them, each with its recipients.
 */
export function ExecutionLog(props: { workflowId?: string; contactId?: string; pageSize?: number }) {
  const pageSize = props.pageSize ?? LOG_PAGE_SIZE;
  const [filters, setFilters] = useState<WorkflowLogQuery>({ workflowId: props.workflowId, contactId: props.contactId });
  const [rows, setRows] = useState<RunStep[] | null>(null);
  const [stats, setStats] = useState<WorkflowStatistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A full page means there may be older entries: the cloud pages by the last entry shown.
  const [more, setMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const fromId = useId();
  const toId = useId();
  const load = useCallback(async () => {
    const [log, statistics] = await Promise.all([
      getBridge().automation.log({ ...filters, limit: pageSize }),
      props.workflowId ? getBridge().automation.statistics({ workflowId: props.workflowId }) : Promise.resolve(null),
    ]);
    if (!log.ok) return setError(log.error.message);
    setError(statistics && !statistics.ok ? statistics.error.message : null);
    setRows(log.value);
    setMore(log.value.length >= pageSize);
    if (statistics?.ok) setStats(statistics.value);
  }, [filters, props.workflowId, pageSize]);
  const loadOlder = async () => {
    const oldest = rows?.at(-1)?.seq;
    if (!oldest) return;
    setLoadingOlder(true);
    const page = await getBridge().automation.log({ ...filters, olderThan: oldest, limit: pageSize });
    setLoadingOlder(false);
    if (!page.ok) return setError(page.error.message);
    setError(null);
    setRows((shown) => [...(shown ?? []), ...page.value]);
    setMore(page.value.length >= pageSize);
  };
  useEffect(() => {
    void load();
  }, [load]);
  const names = useContactNames((rows ?? []).map((r) => r.contactId ?? ''));
  const set = (patch: Partial<WorkflowLogQuery>) => setFilters((f) => ({ ...f, ...patch }));
  const contactsSeen = [...new Set((rows ?? []).map((r) => r.contactId).filter((c): c is string => Boolean(c)))];
  return (
    <section className="execution-log" aria-labelledby="log-heading">
      <h3 id="log-heading">Execution log</h3>
      <ErrorAlert message={error} />
      <div className="automation-row log-filters">
        <SelectField label="Status" value={filters.status ?? ''} options={[{ value: '', label: 'Any status' }, ...statuses.map((s) => ({ value: s, label: s }))]} onChange={(s) => set({ status: s || undefined })} />
        <SelectField label="Action" value={filters.stepType ?? ''} options={[{ value: '', label: 'Any action' }, { value: 'if_else', label: 'If/Else' }, ...actionTypes.map((t) => ({ value: t, label: actionLabels[t] }))]} onChange={(t) => set({ stepType: t || undefined })} />
        {props.contactId ? null : (
          <SelectField
            label="Contact" value={filters.contactId ?? ''} onChange={(c) => set({ contactId: c || undefined })}
            options={[{ value: '', label: 'Any contact' }, ...(filters.contactId && !contactsSeen.includes(filters.contactId) ? [filters.contactId] : []).concat(contactsSeen).map((c) => ({ value: c, label: names[c] ?? c }))]}
          />
        )}
        <div className="field">
          <label htmlFor={fromId}>From</label>
          <input id={fromId} type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
        </div>
        <div className="field">
          <label htmlFor={toId}>To</label>
          <input id={toId} type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
        </div>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {stats && props.workflowId ? <ExecutionLogStatistics workflowId={props.workflowId} stats={stats} /> : null}
      {rows === null ? (
        <p>Loading the log…</p>
      ) : rows.length === 0 ? (
        <p>No steps have run{filters.status || filters.stepType || filters.from || filters.to ? ' with these filters' : ' yet'}.</p>
      ) : (
        <TableScroll label="Steps run">
          <table className="automation-table log-table">
            <caption className="sr-only">Steps run, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Contact</th>
                <th scope="col">Step</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.runId}-${r.stepKey}`}>
                  <td>{when(r.finishedAt ?? r.startedAt ?? r.createdAt)}</td>
                  <td>{r.contactId ? (names[r.contactId] ?? r.contactId) : 'No contact'}</td>
                  <td>
                    {r.name} <span className="muted">({r.type === 'if_else' ? 'If/Else' : (actionLabels[r.type as keyof typeof actionLabels] ?? r.type)})</span>
                  </td>
                  <td>
                    <span className={`step-status step-status-${r.status}`}>{r.status}</span>
                  </td>
                  <td>
                    {r.reason ?? ''}
                    {r.blankFields.length ? <div className="field-warning">Blank: {r.blankFields.map((f) => `{{${f}}}`).join(', ')}</div> : null}
                    {r.waitUntil ? <div className="muted">Until {when(r.waitUntil)}</div> : null}
                  </td>
                  <td>
                    <details>
                      <summary>Input and output</summary>
                      <pre>{brief(r.input)}</pre>
                      <pre>{brief(r.output)}</pre>
                      <span className="muted">Attempts {r.attempts}{r.durationMs !== null ? ` · ${r.durationMs} ms` : ''}</span>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {rows && rows.length > 0 ? (
        <div className="automation-row">
          <span className="muted" role="status">
            {rows.length} {rows.length === 1 ? 'entry' : 'entries'} shown{more ? '' : ' — the whole log for these filters'}.
          </span>
          {more ? (
            <button type="button" disabled={loadingOlder} onClick={() => void loadOlder()}>
              {loadingOlder ? 'Loading older entries…' : 'Load older entries'}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
