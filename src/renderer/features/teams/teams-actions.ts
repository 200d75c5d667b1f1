import type { CreateTeamInput, UpdateTeamInput } from '../../../shared/cloud/teams';
import { getBridge } from '../../bridge';
import { useTeams } from './teams-store';

/** Settings → Team's only door to main (admins; the cloud checks again). Each change reloads the list. */

const store = () => useTeams.getState();

export async function loadTeams(): Promise<void> {
  const result = await getBridge().teams.overview();
  if (result.ok) store().set({ overview: result.value, error: null });
  else store().set({ error: result.error.message });
}

async function after<T extends { ok: boolean }>(result: Promise<T>, done: string): Promise<T> {
  const r = await result;
  if (r.ok) {
    store().set({ message: done });
    await loadTeams();
  }
  return r;
}

export const createTeam = (input: CreateTeamInput) => after(getBridge().teams.create(input), `Team “${input.name}” created.`);
export const updateTeam = (teamId: string, changes: UpdateTeamInput) => after(getBridge().teams.update({ teamId, changes }), 'Team saved.');
export const setTeamMembers = (teamId: string, memberIds: string[]) => after(getBridge().teams.setMembers({ teamId, memberIds }), 'Members saved.');
export const deleteTeam = (teamId: string, name: string) => after(getBridge().teams.delete({ teamId }), `Team “${name}” deleted.`);
