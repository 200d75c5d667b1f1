import type { View } from '../state/navigation';

/** The window's sections, in tab order; admin-only ones are hidden from receptionists, demo-only ones with a real cloud. */
export const SECTIONS: ReadonlyArray<{ id: View; label: string; adminOnly?: boolean; embeddedOnly?: boolean }> = [
  { id: 'phone', label: 'Phone' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'history', label: 'History' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
  { id: 'profile', label: 'My profile' },
  { id: 'numbers', label: 'Phone numbers' },
  { id: 'teams', label: 'Team', adminOnly: true },
  { id: 'admin', label: 'Dispositions', adminOnly: true },
  { id: 'automation', label: 'Automation', adminOnly: true },
  { id: 'agents', label: 'AI agents', adminOnly: true },
  { id: 'demo-inbox', label: 'Demo inbox', embeddedOnly: true },
];
