import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { WEEKDAYS, WEEKDAY_NAMES, hourLabel } from './report-labels';

/**
 * 7×24 grid (practice-local weekday × hour). Each cell is a button that filters the table to that
 * day and hour; one Tab stop, arrow keys move between cells (Home/End: first/last hour). Shading is
 * relative to the busiest cell; the number is always written.
 */
export function HeatMap(props: { title: string; cells: number[][]; onPick: (weekday: number, hour: number) => void; tone: 'calls' | 'missed' }) {
  const max = Math.max(1, ...props.cells.flat());
  const [at, setAt] = useState<[number, number]>([0, 9]);
  const table = useRef<HTMLTableElement>(null);
  const move = (event: KeyboardEvent, d: number, h: number) => {
    const next: Record<string, [number, number]> = {
      ArrowRight: [d, Math.min(23, h + 1)],
      ArrowLeft: [d, Math.max(0, h - 1)],
      ArrowDown: [Math.min(6, d + 1), h],
      ArrowUp: [Math.max(0, d - 1), h],
      Home: [d, 0],
      End: [d, 23],
    };
    const target = next[event.key];
    if (!target) return;
    event.preventDefault();
    setAt(target);
    table.current?.querySelector<HTMLButtonElement>(`[data-cell="${target[0]}-${target[1]}"]`)?.focus();
  };
  return (
    <figure className="report-heat">
      <figcaption>{props.title}</figcaption>
      <div className="heat-scroll">
        <table className={`heat heat-${props.tone}`} ref={table}>
          <thead>
            <tr>
              <td />
              {Array.from({ length: 24 }, (_, h) => (
                <th key={h} scope="col" abbr={hourLabel(h)}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.cells.map((row, d) => (
              <tr key={d}>
                <th scope="row" abbr={WEEKDAY_NAMES[d]}>
                  {WEEKDAYS[d]}
                </th>
                {row.map((n, h) => (
                  <td key={h}>
                    <button
                      type="button"
                      className="heat-cell"
                      data-cell={`${d}-${h}`}
                      tabIndex={at[0] === d && at[1] === h ? 0 : -1}
                      style={{ '--heat': n / max } as CSSProperties}
                      aria-label={`${WEEKDAY_NAMES[d]} ${hourLabel(h)}: ${n}`}
                      onKeyDown={(event) => move(event, d, h)}
                      onFocus={() => setAt([d, h])}
                      onClick={() => props.onPick(d, h)}
                    >
                      {n > 0 ? n : ''}
                    </button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
