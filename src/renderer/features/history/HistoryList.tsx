import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CallListItemView } from '../../../shared/ipc/views';
import { callTimeZone } from '../../lib/call-time-zone';
import { usePractice } from '../../state/practice';
import { HistoryRow, ROW_HEIGHT } from './HistoryRow';

/** Ask for the next page while this many loaded rows are still below the view (two pages ahead). */
export const PREFETCH_ROWS = 400;
/** Rows rendered beyond each edge of the view. */
export const OVERSCAN = 6;

/** The rows to render: the view and its overscan, plus the active row wherever it is (it keeps focus). */
export function rowsToRender(range: Range, active: number): number[] {
  const rows = defaultRangeExtractor(range);
  if (active < 0 || active >= range.count || rows.includes(active)) return rows;
  return active < (rows[0] ?? 0) ? [active, ...rows] : [...rows, active];
}

/** Where a key moves the active row, or null for a key the list leaves alone. */
export function nextActiveRow(key: string, active: number, count: number, pageRows: number): number | null {
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return Math.min(active + 1, last);
    case 'ArrowUp':
      return Math.max(active - 1, 0);
    case 'PageDown':
      return Math.min(active + pageRows, last);
    case 'PageUp':
      return Math.max(active - pageRows, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/**
 * The virtualised list of calls. Its own component so that a scroll frame re-renders only this
 * (not the filters above it), and within it only the rows that came into view (HistoryRow is
 * memoised); rows have one fixed height, so nothing is measured while scrolling.
 *
 * Keyboard: the list is one tab stop, its active row (roving tabindex); arrow keys, Page Up/Down,
 * Home and End move it, Enter opens the call. The active row stays rendered (and focused) however
 * far the list scrolls, and each row tells its place in every matching call (aria-posinset of
 * aria-setsize), so a screen reader announces "row 5,000 of 100,000" in a list of ~30 elements.
 */
export function HistoryList({
  items,
  total,
  loading,
  failed = false,
  hasMore,
  loadMore,
  onOpen,
  onCallBack,
}: {
  items: CallListItemView[];
  /** Every call that matches (more than `items` while pages are still to load), or null if not known yet. */
  total: number | null;
  loading: boolean;
  /** The last read failed (HistoryView says why): an empty list then is not "no calls match". */
  failed?: boolean;
  hasMore: boolean;
  loadMore: () => void;
  onOpen: (item: CallListItemView) => void;
  onCallBack: (number: string) => void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const directory = usePractice((s) => s.directory);
  const [active, setActive] = useState(0);
  const activeRow = Math.min(active, Math.max(items.length - 1, 0));
  const focusPending = useRef(false);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    rangeExtractor: useCallback((range: Range) => rowsToRender(range, activeRow), [activeRow]),
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems.at(-1)?.index ?? 0;
  useEffect(() => {
    // Fetch the next page well before the end, so a fast scroll never waits on the query worker.
    if (hasMore && !loading && lastVisible >= items.length - PREFETCH_ROWS) loadMore();
  }, [lastVisible, items.length, hasMore, loading, loadMore]);

  // A key moved the active row: focus it once it is rendered (it always is: rowsToRender).
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    parentRef.current?.querySelector<HTMLElement>(`[data-index="${activeRow}"]`)?.focus({ preventScroll: true });
  }, [activeRow]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const next = nextActiveRow(event.key, activeRow, items.length, pageRows);
    if (next === null || items.length === 0) return;
    event.preventDefault();
    focusPending.current = true;
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    // The same row again (the first or last): focus it now, no render will.
    if (next === activeRow) parentRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus({ preventScroll: true });
  };

  const setSize = total ?? (hasMore ? -1 : items.length);
  return (
    <div
      ref={parentRef}
      className="history-scroll"
      role="list"
      aria-label="Calls"
      aria-busy={loading || undefined}
      data-testid="history-list"
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        // A click or a focus() on a row or one of its buttons makes that row the active one.
        const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (row) setActive(Number(row.dataset.index));
      }}
    >
      {items.length === 0 && !loading && !failed ? <p className="placeholder">No calls match.</p> : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualItems.map((row) => {
          const item = items[row.index]!;
          return (
            <HistoryRow
              key={item.call.id}
              item={item}
              index={row.index}
              setSize={setSize}
              top={row.start}
              active={row.index === activeRow}
              timeZone={callTimeZone(item.call.locationId, directory)}
              onOpen={onOpen}
              onCallBack={onCallBack}
            />
          );
        })}
      </div>
    </div>
  );
}
