import { useEffect, useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useAlerts } from '../features/alerts/alerts-store';
import { AlertToasts } from '../features/alerts/AlertToasts';
import { AlertsView } from '../features/alerts/AlertsView';
import { ContactsView } from '../features/contacts/ContactsView';
import { HistoryView } from '../features/history/HistoryView';
import { Notices } from '../features/notices/Notices';
import { LocationPicker } from '../features/phone/LocationPicker';
import { usePhoneLocation } from '../features/phone/phone-runtime';
import { CallAnnouncer, PhoneView } from '../features/phone/PhoneView';
import { RingingBar } from '../features/phone/RingingBar';
import { ProfileView } from '../features/profile/ProfileView';
import { SignIn } from '../features/session/SignIn';
import { IdentityMenu } from '../features/settings/IdentityMenu';
import { StatusBar } from '../features/status/StatusBar';
import { useTasks } from '../features/tasks/tasks-store';
import { TasksView } from '../features/tasks/TasksView';
import { useNavigation, type View } from '../state/navigation';
import { useIsAdmin, useSession } from '../state/session';
import { lazyScreen, ScreenBoundary } from './lazy-screens';
import { SECTIONS } from './sections';
import { SettingsScreen } from './SettingsScreen';
import { UnsavedChangesDialog } from './UnsavedChangesDialog';

/** The screens a receptionist's start does not need (admin screens, recharts): loaded on first open. */
const ReportsView = lazyScreen(() => import('../features/reports/ReportsView'), 'ReportsView');
const NumbersView = lazyScreen(() => import('../features/numbers/NumbersView'), 'NumbersView');
const TeamsView = lazyScreen(() => import('../features/teams/TeamsView'), 'TeamsView');
const DispositionAdmin = lazyScreen(() => import('../features/admin/DispositionAdmin'), 'DispositionAdmin');
const AutomationView = lazyScreen(() => import('../features/automation/AutomationView'), 'AutomationView');
const AgentsView = lazyScreen(() => import('../features/agents/AgentsView'), 'AgentsView');
const DemoInboxView = lazyScreen(() => import('../features/demo-inbox/DemoInboxView'), 'DemoInboxView');

/** Tabs with roving focus: arrow keys move between sections, as a receptionist's keyboard expects. */
function NavTabs(props: { views: ReadonlyArray<{ id: View; label: string }>; current: View }) {
  const view = props.current;
  const setView = useNavigation((s) => s.setView);
  const unread = useAlerts((s) => s.unread);
  const openTasks = useTasks((s) => s.openCount);
  const refs = useRef(new Map<View, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    const next = props.views[(index + delta + props.views.length) % props.views.length]!;
    setView(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Softphone sections">
      {props.views.map((item, index) => (
        <button
          key={item.id}
          ref={(el) => {
            if (el) refs.current.set(item.id, el);
          }}
          type="button"
          role="tab"
          id={`tab-${item.id}`}
          aria-selected={view === item.id}
          aria-controls={`panel-${item.id}`}
          tabIndex={view === item.id ? 0 : -1}
          onClick={() => setView(item.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {item.label}
          {item.id === 'alerts' && unread > 0 ? <span className="count">
              {unread}
              <span className="sr-only"> unread</span>
            </span> : null}
          {item.id === 'tasks' && openTasks > 0 ? <span className="count">
              {openTasks}
              <span className="sr-only"> open</span>
            </span> : null}
        </button>
      ))}
    </nav>
  );
}

function ViewContent(props: { view: View }) {
  switch (props.view) {
    case 'phone':
      return <PhoneView />;
    case 'tasks':
      return <TasksView />;
    case 'history':
      return <HistoryView />;
    case 'contacts':
      return <ContactsView />;
    case 'alerts':
      return <AlertsView />;
    case 'settings':
      return <SettingsScreen />;
    case 'profile':
      return <ProfileView />;
    case 'reports':
      return <ReportsView />;
    case 'numbers':
      return <NumbersView />;
    case 'teams':
      return <TeamsView />;
    case 'admin':
      return <DispositionAdmin />;
    case 'automation':
      return <AutomationView />;
    case 'agents':
      return <AgentsView />;
    case 'demo-inbox':
      return <DemoInboxView />;
  }
}

/**
 * The section's panel; from 1400 px two panes: the phone stays on the left whatever the section, the
 * section on the right (on the Phone tab the left pane is the tab's panel and History sits beside it).
 * The section keeps its place in the tree at every width, so resizing across 1400 px never resets
 * what the receptionist is in the middle of (a buy flow, a search, a form).
 */
function Panes(props: { view: View; wide: boolean }) {
  const { view, wide } = props;
  const phoneBeside = wide && view === 'phone';
  const panel = (id: View) => ({ id: `panel-${id}`, role: 'tabpanel', 'aria-labelledby': `tab-${id}` }) as const;
  // <main> may not take the tabpanel role (axe: aria-allowed-role): the panels sit inside it.
  return (
    <main className={wide ? 'two-pane' : 'panel'}>
      {wide ? (
        <div className="phone-pane" data-testid="phone-pane" {...(phoneBeside ? panel('phone') : { role: 'region', 'aria-label': 'Phone' })}>
          <PhoneView />
        </div>
      ) : null}
      <div className={wide ? 'section-pane' : undefined}>
        {phoneBeside ? (
          <section aria-label="Recent calls">
            <HistoryView />
          </section>
        ) : null}
        {phoneBeside ? null : (
          <div {...panel(view)}>
            <ScreenBoundary screen={view}>
              <ViewContent view={view} />
            </ScreenBoundary>
          </div>
        )}
      </div>
    </main>
  );
}

/** From this width the phone is docked on the left and the sections open beside it (two panes). */
const WIDE = '(min-width: 1400px)';

function useWide(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WIDE);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(WIDE).matches,
  );
}

export function App() {
  const view = useNavigation((s) => s.view);
  const session = useSession((s) => s.session);
  const isAdmin = useIsAdmin();
  const wide = useWide();
  usePhoneLocation();
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');
  const views = SECTIONS.filter((v) => (!v.adminOnly || isAdmin) && (!v.embeddedOnly || embedded));
  useEffect(() => useNavigation.setState({ phoneDocked: wide }), [wide]);
  const needsSignIn = session?.status === 'signed-out' || session?.status === 'signing-in';
  return (
    <div className="shell">
      <StatusBar location={<LocationPicker />} identity={<IdentityMenu />} />
      <CallAnnouncer />
      {needsSignIn ? (
        <>
          <Notices />
          <main className="panel">
            <SignIn />
          </main>
        </>
      ) : (
        <>
          <RingingBar />
          <AlertToasts />
          <NavTabs views={views} current={view} />
          {/* Below the tabs: a notice that arrives (most do just after start, once the phone is ready)
              or is dismissed must not move the tabs under a pointer on its way to one of them. */}
          <Notices />
          <Panes view={view} wide={wide} />
          <UnsavedChangesDialog />
        </>
      )}
    </div>
  );
}
