import { create } from 'zustand';
import type { TasksCommand } from '../../../shared/ipc/contract-tasks';

/** A queue hotkey pressed (main showed the window); `at` tells one press from the next. Handled once, then cleared. */
export type PendingTaskCommand = { kind: TasksCommand['kind']; at: number };

/** The Tasks tab's badge (the signed-in user's open tasks), the task being worked in Let's Start, and a queue hotkey to act on. */
export const useTasks = create<{ openCount: number; workingId: string | null; working: boolean; command: PendingTaskCommand | null }>(() => ({
  openCount: 0, workingId: null, working: false, command: null,
}));
