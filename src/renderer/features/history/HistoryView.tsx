import { NONE } from '../../lib/none';
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { CallListItemView, HistoryFiltersInput, HistoryTotalsView } from '../../../shared/ipc/views';
import { formatDuration } from '../../lib/format';
import { useCacheVersion } from '../../state/cache-versions';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { LoadFailure } from '../../ui/LoadFailure';
import { CallDetails } from './CallDetails';
import { fetchHistoryPage } from './history-actions';
import { endOfDay, startOfDay } from './history-dates';
import { HistoryList } from './HistoryList';

const PAGE = 200;

type Filters = Omit<HistoryFiltersInput, 'limit' | 'cursor' | 'from' | 'to'>;
/** The From and To days as picked (YYYY-MM-DD, '' for none): the fields show exactly these. */
type Days = { from: string; to: string };
/** A page that could not be read: why, and which page (null: the first) Try again asks for. */
type Failure = { message: string; cursor: string | null };

/**
 * Call history from the local cache: works offline, searchable by name or number, filterable by
 * disposition, direction, user and date, virtualized so 100,000 calls scroll like ten.
 */
export function HistoryView() {
  const version = useCacheVersion('calls');
  const dispositions = usePractice((s) => s.dispositions);
  const users = usePractice((s) => s.directory?.users ?? NONE);
  const prefillDialer = useNavigation((s) => s.prefillDialer);
  const focusTarget = useNavigation((s) => s.focusTarget);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [days, setDays] = useState<Days>({ from: '', to: '' });
  const [items, setItems] = useState<CallListItemView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [totals, setTotals] = useState<HistoryTotalsView | null>(null);
  const [searchIndexing, setSearchIndexing] = useState(false);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [opened, setOpened] = useState<CallListItemView | null>(null);
  const generation = useRef(0);

  const load = useCallback(
    async (cursor: string | null) => {
      const mine = cursor === null ? ++generation.current : generation.current;
      setLoading(true);
      setFailure(null);
      const from = startOfDay(days.from);
      const to = endOfDay(days.to);
      const result = await fetchHistoryPage({
        ...filters,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(query.trim() ? { query: query.trim() } : {}),
        limit: PAGE,
        cursor,
      });
      if (mine !== generation.current) return;
      if (!result.ok) {
        setLoading(false);
        setFailure({ message: result.error.message, cursor });
        // The calls shown would be the last search's, under this one's filters: show none rather.
        if (cursor === null) {
          setItems([]);
          setNextCursor(null);
          setTotals(null);
          setSearchIndexing(false);
        }
        return;
      }
      // Appending a page is not urgent: let the frames of a scroll in progress go first. Loading ends
      // with the page, not before it: the list would ask again for the page it is still waiting on.
      startTransition(() => {
        setLoading(false);
        setItems((previous) => (cursor === null ? result.value.items : [...previous, ...result.value.items]));
        setNextCursor(result.value.nextCursor);
        if (result.value.totals) setTotals(result.value.totals);
        if (cursor === null) setSearchIndexing(result.value.searchIndexing === true);
      });
    },
    [filters, days, query],
  );

  // Refetch from the top when the filters, the search or the cache change (debounced for typing).
  useEffect(() => {
    const timer = setTimeout(() => void load(null), 150);
    return () => clearTimeout(timer);
  }, [load, version]);

  // An alert about a call (call:<id>) opens that call's details once the list has it.
  const [targetMissing, setTargetMissing] = useState(false);
  useEffect(() => {
    if (!focusTarget?.startsWith('call:') || loading || failure) return;
    const target = items.find((item) => `call:${item.call.id}` === focusTarget);
    if (target) setOpened(target);
    setTargetMissing(!target && generation.current > 0);
    if (target) useNavigation.getState().focus(null);
  }, [focusTarget, items, loading, failure]);

  const loadMore = useCallback(() => {
    if (nextCursor) void load(nextCursor);
  }, [load, nextCursor]);
  const retry = () => void load(failure?.cursor ?? null);

  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) =>
    setFilters((previous) => {
      const next = { ...previous };
      if (value === undefined || value === '') delete next[key];
      else next[key] = value;
      return next;
    });

  return (
    <section className="history" aria-label="Call history">
      <div className="filters" role="search">
        <input
          type="search"
          placeholder="Search by name or number"
          aria-label="Search calls by name or number"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select
          aria-label="Disposition"
          value={filters.dispositionId === null ? '__none' : (filters.dispositionId ?? '')}
          onChange={(e) => setFilter('dispositionId', e.target.value === '__none' ? null : e.target.value || undefined)}
        >
          <option value="">All dispositions</option>
          <option value="__none">No disposition</option>
          {(dispositions?.all ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
              {d.deletedAt ? ' (deleted)' : ''}
            </option>
          ))}
        </select>
        <select aria-label="Direction" value={filters.direction ?? ''} onChange={(e) => setFilter('direction', (e.target.value || undefined) as Filters['direction'])}>
          <option value="">In and out</option>
          <option value="inbound">Incoming</option>
          <option value="outbound">Outgoing</option>
        </select>
        <select aria-label="User" value={filters.userId ?? ''} onChange={(e) => setFilter('userId', e.target.value || undefined)}>
          <option value="">Everyone</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <label className="date-filter">
          From
          <input type="date" value={days.from} onChange={(e) => setDays((previous) => ({ ...previous, from: e.target.value }))} />
        </label>
        <label className="date-filter">
          To
          <input type="date" value={days.to} onChange={(e) => setDays((previous) => ({ ...previous, to: e.target.value }))} />
        </label>
      </div>
      {failure ? (
        <LoadFailure message={`${failure.cursor === null ? 'The call history could not be shown.' : 'More calls could not be loaded.'} ${failure.message}`} onRetry={retry} />
      ) : null}
      {targetMissing && !failure ? (
        <p className="placeholder" role="status">
          The call that alert is about is not among the newest calls here; search for the caller to find it.
        </p>
      ) : null}
      {searchIndexing && query.trim() ? (
        <p className="placeholder" role="status" data-testid="search-indexing">
          The first sync is still indexing calls for search, so some calls are not found yet. They are all in the list without a search.
        </p>
      ) : null}
      {totals ? <HistoryTotals totals={totals} /> : null}
      <div className="history-header" aria-hidden="true">
        <span>When</span>
        <span>Caller</span>
        <span>User</span>
        <span>Disposition</span>
        <span>Length</span>
        <span />
      </div>
      <HistoryList
        items={items}
        total={totals?.calls ?? null}
        loading={loading}
        failed={failure !== null}
        // A page that failed waits for Try again: the list asking for it on every frame would not help.
        hasMore={nextCursor !== null && failure === null}
        loadMore={loadMore}
        onOpen={setOpened}
        onCallBack={prefillDialer}
      />
      <CallDetails
        item={opened}
        onClose={() => setOpened(null)}
        onCallBack={(number) => {
          setOpened(null);
          prefillDialer(number);
        }}
      />
    </section>
  );
}

/** The filtered range at a glance: every matching call is counted, not only the rows loaded so far. */
function HistoryTotals({ totals }: { totals: HistoryTotalsView }) {
  const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  return (
    <p className="history-totals" role="status" data-testid="history-totals">
      {plural(totals.calls, 'call', 'calls')} · {totals.answered.toLocaleString()} answered · {totals.missed.toLocaleString()} missed
      {totals.talkSeconds > 0 ? ` · ${formatDuration(totals.talkSeconds)} talk time` : ''}
    </p>
  );
}
