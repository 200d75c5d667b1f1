import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../../testing/fake-bridge';
import { HistoryView } from './HistoryView';

const fake = installFakeBridge();
afterEach(cleanup);

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 300)));

describe('HistoryView search during a first sync', () => {
  let indexing = true;
  beforeEach(() => {
    indexing = true;
    fake.handlers['history.list'] = (input) => {
      const searching = Boolean((input as { query?: string }).query);
      return { items: [], nextCursor: null, totals: { calls: 0, answered: 0, missed: 0, talkSeconds: 0 }, ...(searching && indexing ? { searchIndexing: true } : {}) };
    };
  });

  it('says plainly that some calls are not found yet, and stops saying it once they are indexed', async () => {
    render(<HistoryView />);
    await settle();
    expect(screen.queryByTestId('search-indexing')).toBeNull();
    const search = screen.getByRole('searchbox', { name: 'Search calls by name or number' });
    fireEvent.change(search, { target: { value: 'garcia' } });
    await settle();
    expect(screen.getByTestId('search-indexing').textContent).toMatch(/still indexing calls for search, so some calls are not found yet/);
    // The sync ends: the next answer is whole.
    indexing = false;
    fireEvent.change(search, { target: { value: 'garci' } });
    await settle();
    expect(screen.queryByTestId('search-indexing')).toBeNull();
  });
});
