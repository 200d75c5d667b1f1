import { useEffect } from 'react';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useIsAdmin } from '../../state/session';
import { loadOptions, loadWorkflows } from './automation-actions';
import { useAutomation } from './automation-store';
import { WorkflowBuilder } from './WorkflowBuilder';
import { WorkflowList } from './WorkflowList';
import { AutomationNav } from './settings/AutomationNav';
import { MediaLibraryView } from './settings/MediaLibraryView';
import { TemplatesView } from './settings/TemplatesView';
import { TriggerLinksView } from './settings/TriggerLinksView';
import './automation.css';

/** The Automation tab (admins): the list of workflows, the templates, the media library or the trigger links, or the workflow open in the builder. */
export function AutomationView() {
  const admin = useIsAdmin();
  const open = useAutomation((s) => s.open);
  const error = useAutomation((s) => s.error);
  const message = useAutomation((s) => s.message);
  const page = useAutomation((s) => s.page);
  useEffect(() => {
    if (!admin) return;
    void loadWorkflows();
    void loadOptions();
  }, [admin]);
  if (!admin) return <p>Only account admins can build automations.</p>;
  return (
    <div className="automation">
      <ErrorAlert message={error} />
      <p className="sr-only" role="status" aria-live="polite">
        {message ?? ''}
      </p>
      {message ? <p className="automation-message" aria-hidden="true">{message}</p> : null}
      {open ? (
        <WorkflowBuilder />
      ) : (
        <>
          <AutomationNav />
          {page === 'templates' ? <TemplatesView /> : page === 'media' ? <MediaLibraryView /> : page === 'trigger_links' ? <TriggerLinksView /> : <WorkflowList />}
        </>
      )}
    </div>
  );
}
