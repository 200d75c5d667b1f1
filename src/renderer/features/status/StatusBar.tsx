import type { ReactNode } from 'react';
import { describeSyncStatus } from '../../../shared/ipc/sync-status-label';
import { useAfterPresented } from '../../lib/after-paint';
import { useSession } from '../../state/session';
import { useVoiceStore, type DeviceStatus } from '../../voice';
import { useSyncStatus } from './status-store';

const PHONE_LABEL: Record<DeviceStatus, string> = {
  registered: 'Ready for calls',
  registering: 'Connecting the phone…',
  degraded: 'Reconnecting the phone…',
  offline: 'Phone offline',
  unregistered: 'Phone not connected',
};

/**
 * The one line a receptionist glances at: can I take calls, is everything saved, which location
 * (`location`: the phone's location picker; `identity`: who is signed in — both placed here by the shell).
 */
export function StatusBar(props: { location?: ReactNode; identity?: ReactNode }) {
  const appInfo = useSession((s) => s.appInfo);
  const bridgeError = useSession((s) => s.bridgeError);
  const session = useSession((s) => s.session);
  const sync = useSyncStatus((s) => s.sync);
  const device = useVoiceStore((s) => s.device.status);
  const problem = useVoiceStore((s) => s.problem);
  // While a call rings, "Ready for calls" would be wrong at a glance: say it rings. Said once the
  // ringing panel is on screen: the ring's frame lays out and paints the panel alone (issue #21).
  const ringing = useAfterPresented(useVoiceStore((s) => s.calls.some((c) => c.phase.name === 'ringing')));
  // At start the phone registers on main's token before the session state has arrived (connectPhone):
  // its status shows from then, not from the later render the session state sets off.
  const phoneShown = session?.status === 'signed-in' || (session === null && device !== 'unregistered');

  return (
    <header className="status-bar">
      <div className="brand">
        <img src="/icon.svg" alt="" width={22} height={22} />
        <span>Aesthetix Softphone</span>
      </div>
      <div className="status" role="status" aria-live="polite">
        {bridgeError ? <span className="pill pill-error">{bridgeError}</span> : null}
        {phoneShown ? (
          <span className={`pill phone-${ringing ? 'ringing' : device}`} data-testid="phone-status" title={problem ?? undefined}>
            {ringing ? 'Incoming call — ringing' : PHONE_LABEL[device]}
          </span>
        ) : null}
        {sync ? (
          <span className={`pill sync-${sync.state} sync-tone-${describeSyncStatus(sync).tone}`} data-testid="sync-status" title={sync.lastError ?? undefined}>
            {describeSyncStatus(sync).text}
          </span>
        ) : null}
        {appInfo ? (
          <span className="pill" data-testid="cloud-mode">
            {appInfo.cloud.mode === 'embedded' ? 'Demo practice' : new URL(appInfo.cloud.url).host}
          </span>
        ) : (
          <span className="pill">Starting…</span>
        )}
        {props.location}
      </div>
      {props.identity}
    </header>
  );
}
