import { useId, useMemo, useState } from 'react';
import { triggerLinkProblems } from '../../../shared/cloud/trigger-link-fields';
import { SENDING_DOMAINS_PLACE, sendingDomainIssues } from '../../../shared/cloud/sending-domain-rules';
import { publishProblems, type Step } from '../../../shared/cloud/workflows';
import { useNavigation } from '../../state/navigation';
import { ActionPanel } from './ActionPanel';
import { closeWorkflow, pauseWorkflow, publish, runDryRun, saveDraft } from './automation-actions';
import { useAutomation } from './automation-store';
import { locate, ROOT, type StepListRef } from './builder-reducer';
import { DryRunReport } from './DryRunReport';
import { CheckField } from './fields';
import { StepList } from './StepFlow';
import { TriggerEditor } from './TriggerEditor';
import { ExecutionLog } from './ExecutionLog';
import { focusNextFrame } from '../../lib/focus-next-frame';

type Panel = { mode: 'add'; list: StepListRef; index: number } | { mode: 'edit'; step: Step };

function SettingsCard() {
  const settings = useAutomation((s) => s.builder.doc.settings);
  const dispatch = useAutomation((s) => s.dispatch);
  return (
    <section className="settings-card" aria-labelledby="wf-settings-heading">
      <h3 id="wf-settings-heading">Workflow settings</h3>
      <CheckField
        label="Stop on Response" checked={settings.stopOnResponse} onChange={(stopOnResponse) => dispatch({ type: 'setSettings', patch: { stopOnResponse } })}
        hint="a reply from the contact (or the contact answering a workflow call) ends their run"
      />
      <CheckField
        label="Allow re-entry" checked={settings.allowReentry} onChange={(allowReentry) => dispatch({ type: 'setSettings', patch: { allowReentry } })}
        hint="a contact may enter again while or after a previous run"
      />
    </section>
  );
}

/** The builder: name, trigger, the flow of steps, settings; Save, Dry run, Publish (after a clean dry run). */
export function WorkflowBuilder() {
  const open = useAutomation((s) => s.open)!;
  const name = useAutomation((s) => s.name);
  const builder = useAutomation((s) => s.builder);
  const busy = useAutomation((s) => s.busy);
  const dryRun = useAutomation((s) => s.dryRun);
  const fresh = useAutomation((s) => s.dryRunFresh);
  const tab = useAutomation((s) => s.tab);
  const set = useAutomation((s) => s.set);
  const dispatch = useAutomation((s) => s.dispatch);
  const [panel, setPanel] = useState<Panel | null>(null);
  const nameId = useId();
  const options = useAutomation((s) => s.options);
  const problems = useMemo(() => {
    // A dead trigger link (deleted since the draft was saved) blocks publishing, as the cloud would refuse it.
    const links = options ? triggerLinkProblems(builder.doc.steps, new Set(options.triggerLinks.map((l) => l.key))) : [];
    return [...publishProblems(builder.doc), ...links.map((p) => `“${p.stepName}”: ${p.message}`)];
  }, [builder.doc, options]);
  // Email steps From an address off the practice's verified domains (an email Review Request: no user's address on one):
  // the cloud refuses to save or publish them.
  const sendingDomains = options?.sendingDomains ?? null;
  const domainIssues = sendingDomains ? sendingDomainIssues(builder.doc.steps, sendingDomains, { users: options?.users ?? null }) : [];
  const handlers = { add: (list: StepListRef, index: number) => setPanel({ mode: 'add', list, index }), edit: (step: Step) => setPanel({ mode: 'edit', step }) };
  const onSave = (step: Step) => {
    if (panel?.mode === 'edit') dispatch({ type: 'updateStep', step });
    else if (panel?.mode === 'add') dispatch({ type: 'insertStep', list: panel.list, index: panel.index, step });
    setPanel(null);
    focusNextFrame(() => document.getElementById(`step-${step.id}`));
  };
  const canPublish = problems.length === 0 && domainIssues.length === 0 && dryRun !== null && fresh && dryRun.canPublish && !busy;
  return (
    <section className="builder" aria-labelledby={nameId + '-h'}>
      <div className="automation-row builder-head">
        <button type="button" onClick={() => void closeWorkflow()}>
          ← All workflows
        </button>
        <h2 id={nameId + '-h'} className="sr-only">
          Workflow {open.name}
        </h2>
        <label htmlFor={nameId}>Workflow name</label>
        <input id={nameId} value={name} maxLength={120} onChange={(e) => set({ name: e.target.value })} />
        <span className={`wf-status wf-status-${open.status}`}>
          {open.status === 'published' ? `Published v${open.publishedVersion}` : open.status === 'paused' ? 'Paused' : 'Draft'}
          {builder.dirty ? ' · unsaved edits' : ''}
        </span>
      </div>
      <div className="automation-row" aria-label="Workflow views" role="group">
        <button type="button" aria-pressed={tab === 'builder'} onClick={() => set({ tab: 'builder' })}>
          Builder
        </button>
        <button type="button" aria-pressed={tab === 'log'} onClick={() => set({ tab: 'log' })}>
          Execution log
        </button>
      </div>
      {tab === 'log' ? (
        <ExecutionLog workflowId={open.id} />
      ) : (
        <>
          {builder.refused ? <p role="alert" className="field-error">{builder.refused}</p> : null}
          <TriggerEditor />
          <section aria-labelledby="flow-heading" className="flow-card">
            <h3 id="flow-heading">Actions</h3>
            <StepList steps={builder.doc.steps} list={ROOT} handlers={handlers} />
          </section>
          <SettingsCard />
          <div className="automation-row builder-actions">
            <button type="button" disabled={!builder.dirty || Boolean(busy)} onClick={() => void saveDraft()}>
              Save draft
            </button>
            <button type="button" disabled={Boolean(busy)} onClick={() => void runDryRun()}>
              Dry run (last 30 days)
            </button>
            <button type="button" className="primary" disabled={!canPublish} aria-describedby={domainIssues.length ? 'publish-why domain-why' : 'publish-why'} onClick={() => void publish()}>
              Publish
            </button>
            {open.status === 'published' ? (
              <button type="button" onClick={() => void pauseWorkflow(open.id)}>
                Pause
              </button>
            ) : null}
          </div>
          <p id="publish-why" className="muted">
            {problems.length ? problems.join(' ') : domainIssues.length ? 'Publishing waits for a verified sending domain (below).' : !dryRun || !fresh ? 'Publishing needs a dry run of the workflow as it is now.' : dryRun.canPublish ? 'Ready to publish.' : 'The dry run found problems that block publishing.'}
          </p>
          {domainIssues.length ? (
            <div id="domain-why" className="domain-issues">
              <p className="field-warning">Email steps need a verified sending domain:</p>
              <ul>
                {domainIssues.map((issue) => (
                  <li key={`${issue.stepId}.${issue.field}`}>
                    “{issue.stepName}”: {issue.message}.
                  </li>
                ))}
              </ul>
              <button type="button" onClick={() => useNavigation.getState().openSettings('email')}>
                Open {SENDING_DOMAINS_PLACE}
              </button>
            </div>
          ) : null}
          {busy ? <p aria-live="polite">{busy}</p> : null}
          {dryRun ? <DryRunReport report={dryRun} fresh={fresh} /> : null}
        </>
      )}
      {panel ? (
        <ActionPanel
          key={panel.mode === 'edit' ? panel.step.id : `${JSON.stringify(panel.list)}-${panel.index}`}
          editing={panel.mode === 'edit' && locate(builder.doc.steps, panel.step.id) ? panel.step : null}
          onSave={onSave} onClose={() => setPanel(null)}
        />
      ) : null}
    </section>
  );
}
