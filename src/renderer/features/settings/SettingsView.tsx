import { useEffect, useState, type ReactNode } from 'react';
import type { HotkeyStatus } from '../../../shared/ipc/hotkeys';
import type { SettingsPatch, Settings } from '../../../shared/settings';
import { useSession } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { acceleratorFromEvent, displayAccelerator } from './accelerator';
import { changeCloud, loadSettings, updateSettings } from './settings-actions';
import { SignOutButton } from './SignOut';
import { UnsentChanges } from './UnsentChanges';

const HOTKEY_FIELDS = [
  ['answer', 'Answer a ringing call'],
  ['hangUp', 'Hang up'],
  ['mute', 'Mute / unmute'],
  ['showWindow', 'Show the softphone'],
  ['nextTask', 'Tasks: start / next task'],
  ['skipTask', 'Tasks: skip the task'],
  ['completeTask', 'Tasks: complete the task'],
] as const;

const NO_GLOBAL_KEYS = 'hotkeys-unavailable';

function HotkeyInput(props: { label: string; value: string | null; status: HotkeyStatus | undefined; onChange: (value: string | null) => void }) {
  const [recording, setRecording] = useState(false);
  // This host cannot listen for keys in other programs: shown, but not offered as if it worked.
  const unavailable = props.status?.state === 'unavailable';
  return (
    <div className={`hotkey-row${unavailable ? ' unavailable' : ''}`}>
      <span>{props.label}</span>
      <button
        type="button"
        disabled={unavailable}
        aria-describedby={unavailable ? NO_GLOBAL_KEYS : undefined}
        className={`hotkey${recording ? ' recording' : ''}`}
        aria-label={`${props.label}: ${recording ? 'press the new shortcut' : displayAccelerator(props.value)}`}
        onClick={() => setRecording(true)}
        onBlur={() => setRecording(false)}
        onKeyDown={(event) => {
          if (!recording) return;
          event.preventDefault();
          if (event.key === 'Escape') return setRecording(false);
          const accelerator = acceleratorFromEvent(event.nativeEvent);
          if (accelerator) {
            setRecording(false);
            props.onChange(accelerator);
          }
        }}
      >
        {recording ? 'Press keys…' : displayAccelerator(props.value)}
      </button>
      <button type="button" onClick={() => props.onChange(null)} disabled={unavailable || props.value === null} aria-label={`Clear: ${props.label}`}>
        Clear
      </button>
      {props.status && (props.status.state === 'conflict' || props.status.state === 'refused') ? <small className="error">{props.status.message}</small> : null}
    </div>
  );
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <fieldset className="settings-section">
      <legend>{props.title}</legend>
      {props.children}
    </fieldset>
  );
}

/**
 * Settings: shortcuts, notifications, start at login, the cloud address, and the account. A user
 * without the admin's pages also reads the practice's call policy here (`callPolicy`).
 */
export function SettingsView(props: { audio?: ReactNode; callPolicy?: ReactNode }) {
  const session = useSession((s) => s.session);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [hotkeys, setHotkeys] = useState<HotkeyStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void loadSettings().then((result) => {
      if (result.ok) {
        setSettings(result.value.settings);
        setHotkeys(result.value.hotkeys);
      }
    });
  }, []);

  const update = async (patch: SettingsPatch) => {
    setError(null);
    setSaved(false);
    const result = await updateSettings(patch);
    if (result.ok) {
      setSettings(result.value.settings);
      setHotkeys(result.value.hotkeys);
      setSaved(true);
    } else setError(result.error.message);
  };

  if (!settings) return <p className="placeholder">Loading settings…</p>;
  return (
    <div className="settings">
      <ErrorAlert message={error} />
      {saved ? <p className="hint" role="status">Saved.</p> : null}
      {props.audio}
      <Section title="Keyboard shortcuts (work in any program)">
        {hotkeys.some((h) => h.state === 'unavailable') ? (
          <p className="hint notice-unavailable" id={NO_GLOBAL_KEYS} data-testid="hotkeys-unavailable">
            Not available here: a browser window cannot hear keys pressed in other programs, so these shortcuts work only in the
            desktop app. Inside this window the phone’s own keys still work.
          </p>
        ) : null}
        {HOTKEY_FIELDS.map(([field, label]) => (
          <HotkeyInput key={field} label={label} value={settings.hotkeys[field]} status={hotkeys.find((h) => h.id === field)} onChange={(value) => void update({ hotkeys: { [field]: value } })} />
        ))}
        <label className="row">
          Dispositions during wrap-up
          <select
            value={settings.hotkeys.dispositionModifier ?? ''}
            onChange={(e) => void update({ hotkeys: { dispositionModifier: (e.target.value || null) as Settings['hotkeys']['dispositionModifier'] } })}
          >
            <option value="CommandOrControl+Alt">{displayAccelerator('CommandOrControl+Alt+')}1 … 0</option>
            <option value="CommandOrControl+Shift">{displayAccelerator('CommandOrControl+Shift+')}1 … 0</option>
            <option value="Alt+Shift">Alt+Shift+1 … 0</option>
            <option value="">Only inside the softphone window</option>
          </select>
        </label>
      </Section>
      <Section title="Notifications">
        {(
          [
            ['incomingCalls', 'Alert me about incoming calls when the softphone is hidden'],
            ['internalAlerts', 'Show alerts from the practice’s automations'],
            ['sound', 'Play a sound with alerts'],
          ] as const
        ).map(([field, label]) => (
          <label key={field} className="check">
            <input type="checkbox" checked={settings.notifications[field]} onChange={(e) => void update({ notifications: { [field]: e.target.checked } })} />
            {label}
          </label>
        ))}
      </Section>
      <Section title="Startup">
        <label className="check">
          <input type="checkbox" checked={settings.startAtLogin} onChange={(e) => void update({ startAtLogin: e.target.checked })} />
          Start the softphone when I sign in to this computer
        </label>
      </Section>
      <Section title="Account">
        <CloudUrl value={settings.cloudUrl} />
        {session?.status === 'signed-in' ? (
          <p>
            Signed in as <strong>{session.user.name}</strong> ({session.user.email}).{' '}
            <SignOutButton />
          </p>
        ) : null}
      </Section>
      {session?.status === 'signed-in' ? props.callPolicy : null}
      {session?.status === 'signed-in' ? (
        <Section title="Changes not yet in the cloud">
          <UnsentChanges />
        </Section>
      ) : null}
    </div>
  );
}

/** The page only asks: main checks the address and confirms the new host in a dialog of its own. */
function CloudUrl(props: { value: string | null }) {
  const [draft, setDraft] = useState(props.value ?? '');
  const [result, setResult] = useState<string | null>(null);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        changeCloud(draft.trim() === '' ? null : draft.trim()).then(setResult, (error: Error) => setResult(error.message));
      }}
    >
      <label>
        Aesthetix cloud address (leave empty for the demo practice)
        <input type="url" placeholder="https://api.aesthetix.example" value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <button type="submit">Change…</button>
      {result ? (
        <p role="status" data-testid="cloud-change-result">
          {result}
        </p>
      ) : null}
    </form>
  );
}
