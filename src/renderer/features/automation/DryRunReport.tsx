import type { DryRunReport as Report } from '../../../shared/cloud/workflow-builder';
import { TableScroll } from '../../ui/TableScroll';

const day = (iso: string) => new Date(iso).toLocaleDateString();

/** What publishing would have done over the last 30 days: entries, steps reached, blank fields, failures, blocking problems. */
export function DryRunReport(props: { report: Report; fresh: boolean }) {
  const { report } = props;
  const blocking = report.problems.filter((p) => p.blocking);
  return (
    <section className="dry-run" aria-labelledby="dry-run-heading">
      <h3 id="dry-run-heading">Dry run: {day(report.from)} – {day(report.to)}</h3>
      {!props.fresh ? <p className="field-warning">The workflow changed since this dry run: run it again before publishing.</p> : null}
      <p className="dry-run-summary">
        <strong>{report.contacts}</strong> contact{report.contacts === 1 ? '' : 's'} would have entered ({report.entries} entr{report.entries === 1 ? 'y' : 'ies'} from {report.eventsConsidered} event
        {report.eventsConsidered === 1 ? '' : 's'} replayed).
      </p>
      {blocking.length ? (
        <div role="alert" className="dry-run-blocking">
          <h4>Blocks publishing</h4>
          <ul>
            {blocking.map((p) => (
              <li key={`${p.path}-${p.message}`}>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {report.steps.length ? (
        <TableScroll label="Per step">
          <table className="automation-table">
            <caption>Per step</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Reached</th>
                <th scope="col">Would fail</th>
                <th scope="col">Blank merge fields</th>
              </tr>
            </thead>
            <tbody>
              {report.steps.map((s) => (
                <tr key={s.stepId}>
                  <th scope="row">{s.name}</th>
                  <td>{s.reached}</td>
                  <td>{s.failures.length ? s.failures.map((f) => `${f.reason} (${f.count})`).join('; ') : 'None'}</td>
                  <td>{s.blankFields.length ? s.blankFields.map((b) => `{{${b.field}}} (${b.count})`).join(', ') : 'None'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {report.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
    </section>
  );
}
