import { create } from 'zustand';

/** How many alerts are unread (the Alerts tab's badge). */
export const useAlerts = create<{ unread: number }>(() => ({ unread: 0 }));
