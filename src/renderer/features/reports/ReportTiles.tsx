import type { ReportSummary } from '../../../shared/cloud/reports';
import { formatPct, formatSeconds } from './report-labels';

/** The headline figures for the filters. */
export function ReportTiles(props: { summary: ReportSummary }) {
  const t = props.summary.tiles;
  const tiles: Array<[string, string, string]> = [
    ['Total calls', String(t.totalCalls), 'Every call the filters match'],
    ['Answered', formatPct(t.answeredPct), 'Share of all calls'],
    ['Missed', formatPct(t.missedPct), 'Inbound calls nobody answered (missed and voicemail)'],
    ['Avg. speed to answer', formatSeconds(t.avgSpeedToAnswerSeconds), 'Ringing time of answered inbound calls'],
    ['Avg. talk time', formatSeconds(t.avgTalkSeconds), 'Answered calls that ended'],
    ['With disposition', formatPct(t.dispositionPct), 'Calls whose outcome was logged'],
  ];
  return (
    <ul className="report-tiles" aria-label="Figures">
      {tiles.map(([label, value, hint]) => (
        <li key={label} className="report-tile" title={hint}>
          <span className="tile-label">{label}</span>
          <span className="tile-value">{value}</span>
        </li>
      ))}
    </ul>
  );
}
