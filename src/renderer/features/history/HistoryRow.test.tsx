import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallListItemView } from '../../../shared/ipc/views';
import { HistoryRow, rowText } from './HistoryRow';

afterEach(cleanup);

const item = (overrides: Partial<CallListItemView['call']> = {}, contactName: string | null = 'Ana Ruiz'): CallListItemView => ({
  call: {
    id: 'c1',
    accountId: 'a',
    locationId: 'loc_bh',
    twilioCallSid: 'CA1',
    direction: 'inbound',
    source: 'softphone',
    from: '+13105550142',
    to: '+13105550100',
    phoneNumberId: 'num_bh',
    userId: 'u1',
    contactId: 'ct1',
    rangUserIds: [],
    status: 'completed',
    startedAt: '2026-12-01T18:00:00Z',
    answeredAt: '2026-12-01T18:00:07Z',
    endedAt: '2026-12-01T18:03:07Z',
    durationSeconds: 187,
    recordings: [],
    dispositionId: null,
    note: null,
    seq: 1,
    ...overrides,
  },
  contactName,
  userName: 'Jordan Lee',
  disposition: null,
  pendingSync: false,
});

describe('History rows', () => {
  it("works a row's text out once per item: the same item gives the same text; a replaced item is formatted anew", () => {
    const first = item();
    const text = rowText(first);
    expect(text).toMatchObject({ who: { name: 'Ana Ruiz', number: '+13105550142' }, numberLine: '(310) 555-0142', length: '3:00' });
    expect(rowText(first)).toBe(text);
    const replaced = item({}, null);
    expect(rowText(replaced)).not.toBe(text);
    expect(rowText(replaced)).toMatchObject({ who: { name: '(310) 555-0142' }, numberLine: null });
  });

  it('writes the time in the zone it is given, again when that zone changes (the directory arrived)', () => {
    const call = item({ startedAt: '2026-03-10T23:30:00Z' });
    expect(rowText(call, 'Asia/Tokyo').when).toMatch(/^Mar 11(, 2026)?, 8:30\sAM$/);
    expect(rowText(call, 'America/New_York').when).toMatch(/^Mar 10(, 2026)?, 7:30\sPM$/);
    expect(rowText(call, 'America/New_York')).toBe(rowText(call, 'America/New_York'));
  });

  it('renders a row again only when its item or offset changes (a scroll frame renders only the rows that came into view)', () => {
    let reads = 0;
    // Counts what rendering reads of the item: a memoised row that is skipped reads nothing.
    const counted = new Proxy(item(), { get: (target, key) => ((reads += 1), Reflect.get(target, key)) });
    const onOpen = vi.fn();
    const onCallBack = vi.fn();
    const view = (frame: number, top: number) => (
      <div role="list" data-frame={frame}>
        <HistoryRow item={counted} index={0} setSize={1} active top={top} onOpen={onOpen} onCallBack={onCallBack} />
      </div>
    );
    const { rerender } = render(view(0, 0));
    expect(reads).toBeGreaterThan(0);
    reads = 0;
    rerender(view(1, 0));
    expect(reads).toBe(0);
    rerender(view(2, 56));
    expect(reads).toBeGreaterThan(0);
    expect(screen.getByRole('listitem').style.top).toBe('56px');
    fireEvent.click(screen.getByRole('button', { name: /Details of the call with Ana Ruiz/ }));
    expect(onOpen).toHaveBeenCalledWith(counted);
    fireEvent.click(screen.getByRole('button', { name: 'Call Ana Ruiz' }));
    expect(onCallBack).toHaveBeenCalledWith('+13105550142');
  });
});
