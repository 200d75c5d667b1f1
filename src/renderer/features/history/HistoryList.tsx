import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { CallListItemView } from '../../../shared/ipc/views';
import { HistoryRow, ROW_HEIGHT } from './HistoryRow';

/** Ask for the next page while this many loaded rows are still below the view (two pages ahead). */
export const PREFETCH_ROWS = 400;

/**
 * The virtualised list of calls. Its own component so that a scroll frame re-renders only this
 * (not the filters above it), and within it only the rows that came into view (HistoryRow is
 * memoised); rows have one fixed height, so nothing is measured while scrolling.
 */
export function HistoryList({
  items,
  loading,
  hasMore,
  loadMore,
  onOpen,
  onCallBack,
}: {
  items: CallListItemView[];
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  onOpen: (item: CallListItemView) => void;
  onCallBack: (number: string) => void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems.at(-1)?.index ?? 0;
  useEffect(() => {
    // Fetch the next page well before the end, so a fast scroll never waits on the query worker.
    if (hasMore && !loading && lastVisible >= items.length - PREFETCH_ROWS) loadMore();
  }, [lastVisible, items.length, hasMore, loading, loadMore]);

  return (
    <div ref={parentRef} className="history-scroll" role="list" aria-label="Calls" tabIndex={0} data-testid="history-list">
      {items.length === 0 && !loading ? <p className="placeholder">No calls match.</p> : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualItems.map((row) => {
          const item = items[row.index]!;
          return <HistoryRow key={item.call.id} item={item} top={row.start} onOpen={onOpen} onCallBack={onCallBack} />;
        })}
      </div>
    </div>
  );
}
