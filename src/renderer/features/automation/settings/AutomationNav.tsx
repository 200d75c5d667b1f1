import { useAutomation, type AutomationPage } from '../automation-store';

const pages: ReadonlyArray<{ id: AutomationPage; label: string }> = [
  { id: 'workflows', label: 'Workflows' },
  { id: 'templates', label: 'Templates' },
  { id: 'media', label: 'Media library' },
  { id: 'trigger_links', label: 'Trigger links' },
];

/** The Automation tab's own menu: the workflows, their templates, media and trigger links (Integrations, Company, Reputation and Premium actions live under Settings, as the article places them). */
export function AutomationNav() {
  const page = useAutomation((s) => s.page);
  const set = useAutomation((s) => s.set);
  return (
    <nav aria-label="Automation" className="ws-nav">
      <ul>
        {pages.map((p) => (
          <li key={p.id}>
            <button type="button" aria-current={page === p.id ? 'page' : undefined} onClick={() => set({ page: p.id, error: null, message: null })}>
              {p.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
