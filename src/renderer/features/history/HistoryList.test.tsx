import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallListItemView } from '../../../shared/ipc/views';
import { HistoryList, nextActiveRow, OVERSCAN, rowsToRender } from './HistoryList';
import { ROW_HEIGHT } from './HistoryRow';

/** The list's view is 10 rows tall (happy-dom lays nothing out, so its height is given here). */
const VIEW_ROWS = 10;
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'history-list' ? VIEW_ROWS * ROW_HEIGHT : 0;
    },
  });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
  else delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});
afterEach(cleanup);

const calls = (count: number): CallListItemView[] =>
  Array.from({ length: count }, (_, n) => ({
    call: {
      id: `call_${n}`,
      accountId: 'a',
      locationId: null,
      twilioCallSid: null,
      direction: 'inbound',
      source: 'softphone',
      from: `+1310555${String(n).padStart(4, '0')}`,
      to: '+13105550100',
      phoneNumberId: null,
      userId: 'u1',
      contactId: null,
      rangUserIds: [],
      status: 'completed',
      startedAt: new Date(Date.parse('2026-12-01T18:00:00Z') - n * 60_000).toISOString(),
      answeredAt: null,
      endedAt: null,
      durationSeconds: 60,
      recordings: [],
      dispositionId: null,
      note: null,
      seq: 1,
    },
    contactName: null,
    userName: 'Jordan Lee',
    disposition: null,
    pendingSync: false,
  }));

const renderedRows = () => screen.getAllByRole('listitem').map((row) => Number(row.dataset.index));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

function list(items: CallListItemView[], props: Partial<Parameters<typeof HistoryList>[0]> = {}) {
  return <HistoryList items={items} total={100_000} loading={false} hasMore loadMore={() => {}} onOpen={() => {}} onCallBack={() => {}} {...props} />;
}

describe('which rows the History list renders', () => {
  it('renders the rows in view and a few beyond, plus the active row wherever it is', () => {
    expect(rowsToRender({ startIndex: 100, endIndex: 109, overscan: 2, count: 1000 }, 0)).toEqual([0, ...range(98, 111)]);
    expect(rowsToRender({ startIndex: 100, endIndex: 109, overscan: 2, count: 1000 }, 105)).toEqual(range(98, 111));
    expect(rowsToRender({ startIndex: 100, endIndex: 109, overscan: 2, count: 1000 }, 500)).toEqual([...range(98, 111), 500]);
    expect(rowsToRender({ startIndex: 0, endIndex: 9, overscan: 2, count: 5 }, 0)).toEqual(range(0, 4));
  });

  it('moves the active row by key, within the loaded rows', () => {
    expect(nextActiveRow('ArrowDown', 199, 400, 9)).toBe(200);
    expect(nextActiveRow('ArrowDown', 399, 400, 9)).toBe(399);
    expect(nextActiveRow('ArrowUp', 0, 400, 9)).toBe(0);
    expect(nextActiveRow('PageDown', 395, 400, 9)).toBe(399);
    expect(nextActiveRow('PageUp', 5, 400, 9)).toBe(0);
    expect(nextActiveRow('End', 5, 400, 9)).toBe(399);
    expect(nextActiveRow('Home', 50, 400, 9)).toBe(0);
    expect(nextActiveRow('a', 50, 400, 9)).toBeNull();
  });

  it('for a scroll offset: the rows in view and the overscan, each with its place among all matching calls', async () => {
    render(list(calls(400)));
    expect(renderedRows()).toEqual(range(0, VIEW_ROWS - 1 + OVERSCAN));
    const scroller = screen.getByTestId('history-list');
    await act(async () => {
      scroller.scrollTop = 100 * ROW_HEIGHT;
      fireEvent.scroll(scroller);
    });
    // Row 0 is the list's tab stop (its active row), so it stays; then rows 94–115 around the view.
    expect(renderedRows()).toEqual([0, ...range(100 - OVERSCAN, 100 + VIEW_ROWS - 1 + OVERSCAN)]);
    const row = screen.getAllByRole('listitem').find((r) => r.dataset.index === '100')!;
    expect(row.getAttribute('aria-posinset')).toBe('101');
    expect(row.getAttribute('aria-setsize')).toBe('100000');
    expect(row.style.top).toBe(`${100 * ROW_HEIGHT}px`);
  });

  it('keyboard: one tab stop; arrows move focus across a page boundary once the next page has arrived, and the focused row stays while the list scrolls away', async () => {
    const loadMore = vi.fn();
    const { rerender } = render(list(calls(200), { loadMore }));
    // The first page's rows are near the end of what is loaded: the next page is asked for at once.
    expect(loadMore).toHaveBeenCalled();
    const tabStops = () => screen.getByTestId('history-list').querySelectorAll('[tabindex="0"]');
    expect([...tabStops()].map((e) => e.closest<HTMLElement>('[data-index]')!.dataset.index)).toEqual(['0', '0', '0']); // the row and its two buttons

    screen.getAllByRole('listitem')[0]!.focus();
    await act(async () => fireEvent.keyDown(document.activeElement!, { key: 'End' }));
    expect((document.activeElement as HTMLElement).dataset.index).toBe('199');
    // The last row of the first page: ArrowDown has nowhere to go until the second page is there …
    await act(async () => fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' }));
    expect((document.activeElement as HTMLElement).dataset.index).toBe('199');
    // … and then crosses into it.
    rerender(list(calls(400), { loadMore }));
    await act(async () => fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' }));
    const focused = document.activeElement as HTMLElement;
    expect(focused.dataset.index).toBe('200');
    expect(focused.getAttribute('aria-posinset')).toBe('201');
    expect([...tabStops()].every((e) => focused.contains(e))).toBe(true);

    // Scrolled back to the top with the wheel: row 200 is far out of view, and still focused.
    const scroller = screen.getByTestId('history-list');
    await act(async () => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    expect(renderedRows()).toEqual([...range(0, VIEW_ROWS - 1 + OVERSCAN), 200]);
    expect(document.activeElement).toBe(focused);
  });

  it('Enter on a row opens its call; focusing a row button makes that row the tab stop', async () => {
    const onOpen = vi.fn();
    const items = calls(30);
    render(list(items, { onOpen }));
    const third = screen.getAllByRole('listitem')[2]!;
    await act(async () => third.querySelector('button')!.focus());
    expect(third.getAttribute('tabindex')).toBe('0');
    third.focus();
    fireEvent.keyDown(third, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(items[2]);
  });
});
