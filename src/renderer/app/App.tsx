import { useEffect, useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import { DispositionAdmin } from '../features/admin/DispositionAdmin';
import { DemoInboxView } from '../features/demo-inbox/DemoInboxView';
import { useAlerts } from '../features/alerts/alerts-store';
import { AlertToasts } from '../features/alerts/AlertToasts';
import { AlertsView } from '../features/alerts/AlertsView';
import { ContactsView } from '../features/contacts/ContactsView';
import { HistoryView } from '../features/history/HistoryView';
import { Notices } from '../features/notices/Notices';
import { NumbersView } from '../features/numbers/NumbersView';
import { LocationPicker } from '../features/phone/LocationPicker';
import { usePhoneLifecycle } from '../features/phone/phone-runtime';
import { CallAnnouncer, PhoneView } from '../features/phone/PhoneView';
import { RingingBar } from '../features/phone/RingingBar';
import { ProfileView } from '../features/profile/ProfileView';
import { ReportsView } from '../features/reports/ReportsView';
import { SignIn } from '../features/session/SignIn';
import { AudioSettings } from '../features/settings/AudioSettings';
import { IdentityMenu } from '../features/settings/IdentityMenu';
import { SettingsView } from '../features/settings/SettingsView';
import { StatusBar } from '../features/status/StatusBar';
import { useTasks } from '../features/tasks/tasks-store';
import { TasksView } from '../features/tasks/TasksView';
import { TeamsView } from '../features/teams/TeamsView';
import { useNavigation, type View } from '../state/navigation';
import { useIsAdmin, useSession } from '../state/session';
import { SECTIONS } from './sections';

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
      return <SettingsView audio={<AudioSettings />} />;
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
    case 'demo-inbox':
      return <DemoInboxView />;
  }
}

/**
 * Wide windows: the phone stays on the left whatever the section, the section on the right. The
 * Phone tab's own panel is that left pane (the right one then shows History), so the phone is never
 * re-mounted when the receptionist moves between sections during a call.
 */
function TwoPanes(props: { view: View }) {
  const onPhone = props.view === 'phone';
  const panel = (view: View) => ({ id: `panel-${view}`, role: 'tabpanel', 'aria-labelledby': `tab-${view}` }) as const;
  return (
    <main className="two-pane">
      <div className="phone-pane" data-testid="phone-pane" {...(onPhone ? panel('phone') : { role: 'region', 'aria-label': 'Phone' })}>
        <PhoneView />
      </div>
      <div className="section-pane">
        {onPhone ? (
          <section aria-label="Recent calls">
            <HistoryView />
          </section>
        ) : (
          <div {...panel(props.view)}>
            <ViewContent view={props.view} />
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
  usePhoneLifecycle();
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');
  const views = SECTIONS.filter((v) => (!v.adminOnly || isAdmin) && (!v.embeddedOnly || embedded));
  useEffect(() => useNavigation.setState({ phoneDocked: wide }), [wide]);
  const needsSignIn = session?.status === 'signed-out' || session?.status === 'signing-in';
  return (
    <div className="shell">
      <StatusBar location={<LocationPicker />} identity={<IdentityMenu />} />
      <Notices />
      <CallAnnouncer />
      {needsSignIn ? (
        <main className="panel">
          <SignIn />
        </main>
      ) : (
        <>
          <RingingBar />
          <AlertToasts />
          <NavTabs views={views} current={view} />
          {wide ? <TwoPanes view={view} /> : (
            // <main> may not take the tabpanel role (axe: aria-allowed-role): the panel sits inside it.
            <main className="panel">
              <div id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`}>
                <ViewContent view={view} />
              </div>
            </main>
          )}
        </>
      )}
    </div>
  );
}
