/**
 * What the tray shows, as plain data: the icon for the most important state, a tooltip a
 * receptionist can read at a glance, and the menu. Adapters only draw it.
 */
export type RegistrationState = 'registered' | 'registering' | 'unregistered' | 'degraded' | 'offline';
export type CallActivity = 'idle' | 'ringing' | 'in-call' | 'wrap-up';

export interface PhoneState {
  registration: RegistrationState;
  call: CallActivity;
  /** The caller shown while ringing, formatted. */
  caller?: string | null;
  muted?: boolean;
  /** Call waiting: a call ringing while `call` is in progress (formatted caller); `answerable` when Answer would take it now. */
  waiting?: { caller: string | null; answerable: boolean } | null;
}

export type TrayIcon = 'ready' | 'ringing' | 'in-call' | 'offline' | 'unread';

export interface TrayMenuItem {
  id: 'show' | 'answer' | 'reject' | 'hangUp' | 'mute' | 'alerts' | 'tasks' | 'quit';
  label: string;
  enabled: boolean;
}

export interface TrayModel {
  icon: TrayIcon;
  /** The open-task count drawn on the icon (a dot on the image; the number beside it where the OS shows tray text), or null. */
  badge: string | null;
  tooltip: string;
  menu: TrayMenuItem[];
}

export function computeTrayModel(phone: PhoneState, unread: number, syncOnline: boolean, openTasks = 0): TrayModel {
  const reachable = phone.registration === 'registered';
  const waiting = phone.call === 'in-call' ? (phone.waiting ?? null) : null;
  const icon: TrayIcon =
    phone.call === 'ringing' || waiting
      ? 'ringing'
      : phone.call === 'in-call'
        ? 'in-call'
        : !reachable
          ? 'offline'
          : unread > 0
            ? 'unread'
            : 'ready';

  const lines = ['Aesthetix Softphone'];
  if (phone.call === 'ringing') lines.push(`Incoming call${phone.caller ? ` from ${phone.caller}` : ''}`);
  else if (phone.call === 'in-call') {
    if (waiting) lines.push(`Incoming call${waiting.caller ? ` from ${waiting.caller}` : ''}${waiting.answerable ? '' : ' (hold or end this call to answer)'}`);
    lines.push(phone.muted ? 'On a call (muted)' : 'On a call');
  }
  else if (phone.call === 'wrap-up') lines.push('Choose the call’s outcome');
  lines.push(
    reachable
      ? 'Ready for calls'
      : phone.registration === 'registering'
        ? 'Connecting the phone…'
        : phone.registration === 'degraded'
          ? 'Phone connection is unstable'
          : 'Not receiving calls',
  );
  if (!syncOnline) lines.push('Offline: changes will sync later');
  if (unread > 0) lines.push(`${unread} unread alert${unread === 1 ? '' : 's'}`);
  if (openTasks > 0) lines.push(`${openTasks} open task${openTasks === 1 ? '' : 's'}`);

  return {
    icon,
    badge: openTasks > 0 ? (openTasks > 99 ? '99+' : String(openTasks)) : null,
    tooltip: lines.join('\n'),
    menu: [
      { id: 'show', label: 'Show Softphone', enabled: true },
      { id: 'answer', label: 'Answer', enabled: phone.call === 'ringing' || waiting?.answerable === true },
      { id: 'reject', label: 'Reject', enabled: phone.call === 'ringing' || waiting !== null },
      { id: 'hangUp', label: 'Hang up', enabled: phone.call === 'in-call' },
      { id: 'mute', label: phone.muted ? 'Unmute' : 'Mute', enabled: phone.call === 'in-call' },
      { id: 'alerts', label: unread > 0 ? `Alerts (${unread} unread)` : 'Alerts', enabled: true },
      { id: 'tasks', label: openTasks > 0 ? `Tasks (${openTasks} open)` : 'Tasks', enabled: openTasks > 0 },
      { id: 'quit', label: 'Quit', enabled: true },
    ],
  };
}
