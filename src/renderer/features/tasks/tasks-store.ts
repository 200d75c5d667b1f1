import { create } from 'zustand';

/** The Tasks tab's badge (the signed-in user's open tasks), and the task being worked in Let's Start. */
export const useTasks = create<{ openCount: number; workingId: string | null; working: boolean }>(() => ({ openCount: 0, workingId: null, working: false }));
