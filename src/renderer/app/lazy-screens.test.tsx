import { act, cleanup, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyScreen, ScreenBoundary } from './lazy-screens';

afterEach(cleanup);

describe('lazy screens', () => {
  it('a screen left for one still loading, then opened again, opens afresh (its data reloads)', async () => {
    let opened = 0;
    function Agents() {
      useEffect(() => {
        opened += 1;
      }, []);
      return <p>Agents</p>;
    }
    const NeverLoads = lazyScreen(() => new Promise<{ Automation: () => null }>(() => undefined), 'Automation');
    const show = (which: 'agents' | 'automation') => <ScreenBoundary screen={which}>{which === 'agents' ? <Agents /> : <NeverLoads />}</ScreenBoundary>;

    const view = render(show('agents'));
    expect(opened).toBe(1);
    await act(async () => view.rerender(show('automation')));
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    await act(async () => view.rerender(show('agents')));
    expect(screen.getByText('Agents')).toBeTruthy();
    expect(opened).toBe(2);
  });

  it('a lazy screen renders the named export once its chunk has loaded', async () => {
    const Reports = lazyScreen(async () => ({ ReportsView: () => <h2>Reports</h2> }), 'ReportsView');
    render(
      <ScreenBoundary screen="reports">
        <Reports />
      </ScreenBoundary>,
    );
    expect(await screen.findByRole('heading', { name: 'Reports' })).toBeTruthy();
  });
});
