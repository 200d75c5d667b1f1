import { create } from 'zustand';
import type { TeamsOverview } from '../../../shared/ipc/contract-reports';

interface TeamsState {
  overview: TeamsOverview | null;
  error: string | null;
  /** The last change's outcome, announced politely. */
  message: string | null;
  set(patch: Partial<TeamsState>): void;
}

export const useTeams = create<TeamsState>((set) => ({ overview: null, error: null, message: null, set: (patch) => set(patch) }));
