import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeatMap } from './HeatMap';
import { formatPct, formatSeconds, hourLabel } from './report-labels';

afterEach(cleanup);

describe('report labels', () => {
  it('formats seconds, percentages and hours', () => {
    expect([formatSeconds(null), formatSeconds(0), formatSeconds(75), formatSeconds(3725)]).toEqual(['—', '0:00', '1:15', '1:02:05']);
    expect([formatPct(null), formatPct(12.34)]).toEqual(['—', '12.3%']);
    expect([hourLabel(0), hourLabel(11), hourLabel(12), hourLabel(23)]).toEqual(['12 am', '11 am', '12 pm', '11 pm']);
  });
});

describe('heat map', () => {
  const cells = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 1 && h === 10 ? 4 : 0)));

  it('is one Tab stop; arrow keys move between cells and Enter picks the focused one', () => {
    const onPick = vi.fn();
    render(<HeatMap title="Calls" cells={cells} tone="calls" onPick={onPick} />);
    const stops = screen.getAllByRole('button').filter((b) => b.tabIndex === 0);
    expect(stops).toHaveLength(1);
    stops[0]!.focus();
    fireEvent.keyDown(stops[0]!, { key: 'ArrowRight' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    const cell = screen.getByRole('button', { name: 'Tuesday 10 am: 4' });
    expect(document.activeElement).toBe(cell);
    expect(cell.textContent).toBe('4');
    fireEvent.click(cell);
    expect(onPick).toHaveBeenCalledWith(1, 10);
    expect(screen.getAllByRole('button').filter((b) => b.tabIndex === 0)).toEqual([cell]);
  });
});
