import { useRef, type KeyboardEvent } from 'react';
import { getBridge } from '../bridge';
import { useShell, VIEWS, type View } from './store';

function StatusBar() {
  const appInfo = useShell((s) => s.appInfo);
  const bridgeError = useShell((s) => s.bridgeError);
  return (
    <header className="status-bar">
      <div className="brand">
        <img src="/icon.svg" alt="" width={22} height={22} />
        <span>Aesthetix Softphone</span>
      </div>
      <div className="status" role="status" aria-live="polite">
        {bridgeError ? (
          <span className="pill pill-error">{bridgeError}</span>
        ) : appInfo ? (
          <span className="pill" data-testid="cloud-mode">
            {appInfo.cloud.mode === 'embedded' ? 'Demo practice (offline sandbox)' : new URL(appInfo.cloud.url).host}
          </span>
        ) : (
          <span className="pill">Starting…</span>
        )}
      </div>
    </header>
  );
}

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

/** Tabs with roving focus: arrow keys move between views, as a receptionist's keyboard expects. */
function NavTabs() {
  const view = useShell((s) => s.view);
  const setView = useShell((s) => s.setView);
  const refs = useRef(new Map<View, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    const next = VIEWS[(index + delta + VIEWS.length) % VIEWS.length]!;
    setView(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Softphone sections">
      {VIEWS.map((item, index) => (
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
        </button>
      ))}
    </nav>
  );
}

const PLACEHOLDERS: Record<View, string> = {
  phone: 'The dialer and incoming calls appear here once the phone is connected.',
  history: 'Your call history, with each call’s disposition, appears here.',
  contacts: 'Practice contacts appear here.',
  alerts: 'Alerts from the practice’s automations appear here.',
  settings: 'Audio devices, hotkeys and notifications are set here.',
};

export function App() {
  const view = useShell((s) => s.view);
  const dialerPrefill = useShell((s) => s.dialerPrefill);
  return (
    <div className="shell">
      <StatusBar />
      <Notices />
      <NavTabs />
      <main id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`} className="panel" tabIndex={0}>
        <h1 className="panel-title">{VIEWS.find((v) => v.id === view)?.label}</h1>
        {view === 'phone' && dialerPrefill ? <p className="prefill">Ready to dial {dialerPrefill}</p> : null}
        <p className="placeholder">{PLACEHOLDERS[view]}</p>
      </main>
    </div>
  );
}
