import { useId } from 'react';
import { DATE_PRESETS } from '../../../shared/reporting/dates';
import { CALL_SOURCES, REPORT_STATUSES } from '../../../shared/reporting/status';
import { NO_DISPOSITION, type ReportFiltersInput, type ReportOptions } from '../../../shared/cloud/reports';
import { PRESET_LABELS, SOURCE_LABELS, STATUS_LABELS, WEEKDAY_NAMES, hourLabel } from './report-labels';
import { DEFAULT_FILTERS, useReports } from './reports-store';
import { replaceFilters, setFilters } from './reports-actions';

type ListKey = 'dispositionIds' | 'userIds' | 'teamIds' | 'locationIds' | 'lineIds' | 'directions' | 'statuses' | 'sources';

/** A disclosure of checkboxes for one list filter; its summary says how many are chosen. */
function CheckList(props: { label: string; name: ListKey; choices: ReadonlyArray<{ value: string; label: string }>; selected: readonly string[] }) {
  if (props.choices.length === 0) return null;
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...props.selected, value] : props.selected.filter((v) => v !== value);
    void setFilters({ [props.name]: next } as Partial<ReportFiltersInput>);
  };
  return (
    <details className="report-filter">
      <summary>
        {props.label}
        {props.selected.length > 0 ? <span className="chip-count"> ({props.selected.length})</span> : <span className="muted"> (all)</span>}
      </summary>
      <fieldset>
        <legend className="visually-hidden">{props.label}</legend>
        {props.choices.map((c) => (
          <label key={c.value}>
            <input type="checkbox" checked={props.selected.includes(c.value)} onChange={(e) => toggle(c.value, e.target.checked)} />
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

const named = (list: ReportOptions['users']) => list.map((o) => ({ value: o.id, label: o.deleted ? `${o.name} (deleted)` : o.name }));

export function ReportFilters() {
  const filters = useReports((s) => s.filters);
  const options = useReports((s) => s.options);
  const presetId = useId();
  const fromId = useId();
  const toId = useId();
  const minId = useId();
  const maxId = useId();
  const list = (key: ListKey): readonly string[] => (filters[key] as readonly string[] | undefined) ?? [];
  const seconds = (value: string): number | undefined => (value.trim() === '' ? undefined : Math.max(0, Math.round(Number(value))));
  const weekdays = filters.weekdays ?? [];
  const hours = filters.hours ?? [];
  return (
    <section className="report-filters" aria-label="Report filters">
      <div className="report-range">
        <label htmlFor={presetId}>Dates</label>
        <select id={presetId} value={filters.preset ?? 'last7'} onChange={(e) => void setFilters({ preset: e.target.value as (typeof DATE_PRESETS)[number] })}>
          {DATE_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRESET_LABELS[p]}
            </option>
          ))}
        </select>
        {filters.preset === 'custom' ? (
          <>
            <label htmlFor={fromId}>From</label>
            <input id={fromId} type="date" value={filters.from ?? ''} onChange={(e) => void setFilters({ from: e.target.value || undefined })} />
            <label htmlFor={toId}>To</label>
            <input id={toId} type="date" value={filters.to ?? ''} onChange={(e) => void setFilters({ to: e.target.value || undefined })} />
          </>
        ) : null}
        {options ? <span className="muted">Times in {options.timezone}</span> : null}
      </div>
      <div className="report-filter-row">
        <CheckList
          label="Disposition"
          name="dispositionIds"
          selected={list('dispositionIds')}
          choices={[...(options?.dispositions ?? []).map((d) => ({ value: d.id, label: d.deleted ? `${d.name} (deleted)` : d.name })), { value: NO_DISPOSITION, label: 'No disposition' }]}
        />
        {options?.scope === 'account' ? <CheckList label="User" name="userIds" selected={list('userIds')} choices={named(options.users)} /> : null}
        <CheckList label="Team" name="teamIds" selected={list('teamIds')} choices={named(options?.teams ?? [])} />
        <CheckList label="Location" name="locationIds" selected={list('locationIds')} choices={named(options?.locations ?? [])} />
        <CheckList
          label="Line"
          name="lineIds"
          selected={list('lineIds')}
          choices={(options?.lines ?? []).map((l) => ({ value: l.id, label: `${l.name} ${l.number}${l.deleted ? ' (deleted)' : ''}` }))}
        />
        <CheckList label="Direction" name="directions" selected={list('directions')} choices={[{ value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }]} />
        <CheckList label="Status" name="statuses" selected={list('statuses')} choices={REPORT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
        <CheckList label="Source" name="sources" selected={list('sources')} choices={CALL_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))} />
        <div className="report-talk">
          <label htmlFor={minId}>Talk ≥ (s)</label>
          <input id={minId} type="number" min={0} inputMode="numeric" value={filters.minTalkSeconds ?? ''} onChange={(e) => void setFilters({ minTalkSeconds: seconds(e.target.value) })} />
          <label htmlFor={maxId}>Talk ≤ (s)</label>
          <input id={maxId} type="number" min={0} inputMode="numeric" value={filters.maxTalkSeconds ?? ''} onChange={(e) => void setFilters({ maxTalkSeconds: seconds(e.target.value) })} />
        </div>
      </div>
      {weekdays.length > 0 || hours.length > 0 ? (
        <p className="report-cell-filter">
          Only {weekdays.map((d) => WEEKDAY_NAMES[d]).join(', ') || 'any day'}, {hours.map(hourLabel).join(', ') || 'any hour'}{' '}
          <button type="button" onClick={() => void setFilters({ weekdays: [], hours: [] })}>
            Clear day and hour
          </button>
        </p>
      ) : null}
      <button type="button" className="link-button" onClick={() => void replaceFilters(DEFAULT_FILTERS)}>
        Reset filters
      </button>
    </section>
  );
}
