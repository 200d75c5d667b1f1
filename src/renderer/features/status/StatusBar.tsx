import { NONE } from '../../lib/none';
import { useShell } from '../../app/store';
import { useVoiceStore, type DeviceStatus } from '../../voice';
import { usePhone } from '../phone/phone-store';

const PHONE_LABEL: Record<DeviceStatus, string> = {
  registered: 'Ready for calls',
  registering: 'Connecting the phone…',
  degraded: 'Reconnecting the phone…',
  offline: 'Phone offline',
  unregistered: 'Phone not connected',
};

/** The one line a receptionist glances at: can I take calls, is everything saved, which location. */
export function StatusBar() {
  const appInfo = useShell((s) => s.appInfo);
  const bridgeError = useShell((s) => s.bridgeError);
  const sync = useShell((s) => s.sync);
  const session = useShell((s) => s.session);
  const locations = useShell((s) => s.directory?.locations ?? NONE);
  const device = useVoiceStore((s) => s.device.status);
  const problem = useVoiceStore((s) => s.problem);
  const selectedLocationId = usePhone((s) => s.selectedLocationId);
  const myLocations = session?.status === 'signed-in' ? locations.filter((l) => session.user.locationIds.includes(l.id)) : [];

  return (
    <header className="status-bar">
      <div className="brand">
        <img src="/icon.svg" alt="" width={22} height={22} />
        <span>Aesthetix Softphone</span>
      </div>
      <div className="status" role="status" aria-live="polite">
        {bridgeError ? <span className="pill pill-error">{bridgeError}</span> : null}
        {session?.status === 'signed-in' ? (
          <span className={`pill phone-${device}`} data-testid="phone-status" title={problem ?? undefined}>
            {PHONE_LABEL[device]}
          </span>
        ) : null}
        {sync ? (
          <span className={`pill sync-${sync.state}`} data-testid="sync-status" title={sync.lastError ?? undefined}>
            {sync.state === 'offline' ? 'Offline' : sync.state === 'syncing' ? 'Syncing…' : 'Saved'}
            {sync.pending > 0 ? ` · ${sync.pending} waiting` : ''}
          </span>
        ) : null}
        {appInfo ? (
          <span className="pill" data-testid="cloud-mode">
            {appInfo.cloud.mode === 'embedded' ? 'Demo practice' : new URL(appInfo.cloud.url).host}
          </span>
        ) : (
          <span className="pill">Starting…</span>
        )}
        {myLocations.length > 1 ? (
          <select aria-label="Location" className="location" value={selectedLocationId ?? ''} onChange={(e) => usePhone.getState().selectLocation(e.target.value)}>
            {myLocations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
    </header>
  );
}
