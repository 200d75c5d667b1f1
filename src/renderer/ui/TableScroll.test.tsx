import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TableScroll } from './TableScroll';

/** jsdom lays nothing out: the widths a narrow window would give are set by hand. */
function widths(scrollWidth: number, clientWidth: number) {
  vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(scrollWidth);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(clientWidth);
}

const table = (
  <table>
    <tbody>
      <tr>
        <td>Enable/Disable DND</td>
      </tr>
    </tbody>
  </table>
);

describe('TableScroll', () => {
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('is a named, focusable region while its table is wider than the window', () => {
    widths(720, 360);
    render(<TableScroll label="Steps run">{table}</TableScroll>);
    const region = screen.getByRole('region', { name: 'Steps run' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.contains(screen.getByRole('table'))).toBe(true);
  });

  it('is no tab stop and no landmark when the table fits', () => {
    widths(360, 360);
    const { container } = render(<TableScroll label="Steps run">{table}</TableScroll>);
    expect(screen.queryByRole('region')).toBeNull();
    expect(container.firstElementChild?.hasAttribute('tabindex')).toBe(false);
    expect(container.querySelector('table')).not.toBeNull();
  });
});
