import { useEffect, useState } from 'react';
import { CompanyPhoneCard, PremiumActionsCard, ReputationWording, WhatsAppSender } from '../features/automation/settings/PracticeSettings';
import { InboundEmailView } from '../features/automation/settings/InboundEmailView';
import { SendingDomainsView } from '../features/automation/settings/SendingDomainsView';
import { SlackIntegrationView } from '../features/automation/settings/SlackIntegrationView';
import { AudioSettings } from '../features/settings/AudioSettings';
import { keptEdits } from '../features/settings/call-policy-store';
import { CallPolicySection } from '../features/settings/CallPolicySection';
import { SettingsView } from '../features/settings/SettingsView';
import { useNavigation } from '../state/navigation';
import { useIsAdmin, useMyUserId } from '../state/session';
import { leaveEdits } from '../state/unsaved-changes';
import '../features/automation/automation.css';

type Page = 'device' | 'integrations' | 'email' | 'replies' | 'company' | 'callPolicy' | 'reputation' | 'premium';

/** The practice-wide pages an admin finds under Settings, where the article places them (Settings → Integrations, → Company → Company Phone, Reputation settings, premium actions), the email pages (sending domains, replies), and the call policy the cloud's refusals name. */
const ADMIN_PAGES: ReadonlyArray<{ id: Page; label: string }> = [
  { id: 'device', label: 'This computer' },
  { id: 'integrations', label: 'Integrations' },
  // The sending domains Send Email sends From ("Settings → Email sending" in every refusal).
  { id: 'email', label: 'Email sending' },
  // The inbound email webhook the practice's mail provider posts replies to (Replied, Stop on Response).
  { id: 'replies', label: 'Email replies' },
  { id: 'company', label: 'Company' },
  // Where every call-policy refusal sends the admin ("Settings → Call policy").
  { id: 'callPolicy', label: 'Call policy' },
  { id: 'reputation', label: 'Reputation' },
  { id: 'premium', label: 'Premium actions' },
];

function AdminPage(props: { page: Exclude<Page, 'device'> }) {
  const label = ADMIN_PAGES.find((p) => p.id === props.page)!.label;
  return (
    <section className="ws-page" aria-labelledby="settings-page-title">
      <h2 id="settings-page-title">{label}</h2>
      {props.page === 'integrations' ? (
        <>
          <SlackIntegrationView />
          <WhatsAppSender />
        </>
      ) : props.page === 'email' ? (
        <SendingDomainsView />
      ) : props.page === 'replies' ? (
        <InboundEmailView />
      ) : props.page === 'company' ? (
        <CompanyPhoneCard />
      ) : props.page === 'callPolicy' ? (
        <CallPolicySection isAdmin />
      ) : props.page === 'reputation' ? (
        <ReputationWording />
      ) : (
        <PremiumActionsCard />
      )}
    </section>
  );
}

/**
 * The Settings tab. Everyone gets this computer's settings; an admin also gets the practice's pages
 * (composed here so that features do not import each other). Receptionists see no menu at all;
 * they read the call policy on their one page.
 * The page resets to "This computer" whenever the tab is left, so Sign out is always where it was —
 * unless the call policy's edits were left unsaved (the phone took the screen for a call): then it
 * opens on them. Going to another page with unsaved edits asks first (state/unsaved-changes.ts).
 */
export function SettingsScreen() {
  const admin = useIsAdmin();
  const me = useMyUserId();
  const [page, setPage] = useState<Page>(() => (admin && keptEdits(me) ? 'callPolicy' : 'device'));
  // Another screen asked for a page (the builder: "Open Settings → Email sending"); unsaved call policy edits ask first.
  const requested = useNavigation((s) => s.settingsPage);
  useEffect(() => {
    if (!requested) return;
    const known = ADMIN_PAGES.find((p) => p.id === requested);
    useNavigation.setState({ settingsPage: null });
    if (known) leaveEdits(() => setPage(known.id));
  }, [requested]);
  // Without the practice's pages, the call policy is read on the one page (refusals point to it).
  if (!admin) return <SettingsView audio={<AudioSettings />} callPolicy={<CallPolicySection isAdmin={false} />} />;
  const device = <SettingsView audio={<AudioSettings />} />;
  return (
    <div className="settings-screen">
      <nav aria-label="Settings pages" className="ws-nav">
        <ul>
          {ADMIN_PAGES.map((p) => (
            <li key={p.id}>
              <button type="button" aria-current={page === p.id ? 'page' : undefined} onClick={() => (p.id === page ? undefined : leaveEdits(() => setPage(p.id)))}>
                {p.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {page === 'device' ? device : <AdminPage page={page} />}
    </div>
  );
}
