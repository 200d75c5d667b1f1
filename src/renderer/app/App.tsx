import { useEffect, useRef, type KeyboardEvent } from 'react';
import { getBridge } from '../bridge';
import { DispositionAdmin } from '../features/admin/DispositionAdmin';
import { AlertsView } from '../features/alerts/AlertsView';
import { ContactsView } from '../features/contacts/ContactsView';
import { HistoryView } from '../features/history/HistoryView';
import { ProfileView } from '../features/profile/ProfileView';
import { startPhone, stopPhone } from '../features/phone/phone-runtime';
import { usePhone } from '../features/phone/phone-store';
import { CallAnnouncer, PhoneView } from '../features/phone/PhoneView';
import { SignIn } from '../features/session/SignIn';
import { AudioSettings } from '../features/settings/AudioSettings';
import { SettingsView } from '../features/settings/SettingsView';
import { StatusBar } from '../features/status/StatusBar';
import { useIsAdmin, useShell, VIEWS, type View } from './store';

function Notices() {
  const notices = useShell((s) => s.notices);
  const removeNotice = useShell((s) => s.removeNotice);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <li key={notice.id} className={`notice notice-${notice.level}`}>
          <span>{notice.message}</span>
          <button
            type="button"
            aria-label="Dismiss notice"
            onClick={() => {
              removeNotice(notice.id);
              void getBridge().app.dismissNotice(notice.id);
            }}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Tabs with roving focus: arrow keys move between sections, as a receptionist's keyboard expects. */
function NavTabs(props: { views: ReadonlyArray<{ id: View; label: string }> }) {
  const view = useShell((s) => s.view);
  const setView = useShell((s) => s.setView);
  const unread = useShell((s) => s.unreadAlerts);
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
          {item.id === 'alerts' && unread > 0 ? <span className="count" aria-label={`${unread} unread`}>{unread}</span> : null}
        </button>
      ))}
    </nav>
  );
}

function ViewContent(props: { view: View }) {
  switch (props.view) {
    case 'phone':
      return <PhoneView />;
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
    case 'admin':
      return <DispositionAdmin />;
  }
}

/** Starts the phone while someone is signed in and stops it at sign-out. */
function usePhoneLifecycle() {
  const session = useShell((s) => s.session);
  const signedIn = session?.status === 'signed-in';
  const locationIds = session?.status === 'signed-in' ? session.user.locationIds : null;
  useEffect(() => {
    if (!signedIn) return;
    startPhone(getBridge());
    return () => stopPhone();
  }, [signedIn]);
  useEffect(() => {
    if (locationIds && usePhone.getState().selectedLocationId === null) usePhone.getState().selectLocation(locationIds[0] ?? null);
  }, [locationIds]);
}

export function App() {
  const view = useShell((s) => s.view);
  const session = useShell((s) => s.session);
  const isAdmin = useIsAdmin();
  usePhoneLifecycle();
  const views = VIEWS.filter((v) => !v.adminOnly || isAdmin);
  const needsSignIn = session?.status === 'signed-out' || session?.status === 'signing-in';
  return (
    <div className="shell">
      <StatusBar />
      <Notices />
      <CallAnnouncer />
      {needsSignIn ? (
        <main className="panel">
          <SignIn />
        </main>
      ) : (
        <>
          <NavTabs views={views} />
          <main id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`} className="panel">
            <ViewContent view={view} />
          </main>
        </>
      )}
    </div>
  );
}
