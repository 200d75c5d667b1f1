import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Team } from '../../../shared/cloud/entities';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useIsAdmin, useMyUserId } from '../../state/session';
import { createTeam, deleteTeam, loadTeams, setTeamMembers, updateTeam } from './teams-actions';
import { useTeams } from './teams-store';
import './teams.css';

type Users = ReadonlyArray<{ id: string; name: string }>;

/** One team: rename, choose the lead, tick members, delete (with a confirmation). */
function TeamEditor(props: { team: Team; users: Users }) {
  const { team, users } = props;
  const [name, setName] = useState(team.name);
  const [members, setMembers] = useState<string[]>(team.memberIds);
  const [lead, setLead] = useState(team.leadUserId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const nameId = useId();
  const leadId = useId();
  useEffect(() => {
    setName(team.name);
    setMembers(team.memberIds);
    setLead(team.leadUserId ?? '');
  }, [team]);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const sameMembers = members.length === team.memberIds.length && members.every((m) => team.memberIds.includes(m));
    if (!sameMembers) {
      const r = await setTeamMembers(team.id, members);
      if (!r.ok) return setProblem(r.error.message);
    }
    const leadUserId = lead === '' ? null : lead;
    if (name.trim() !== team.name || leadUserId !== team.leadUserId) {
      const r = await updateTeam(team.id, { ...(name.trim() !== team.name ? { name } : {}), ...(leadUserId !== team.leadUserId ? { leadUserId } : {}) });
      if (!r.ok) return setProblem(r.error.message);
    }
  };
  return (
    <li className="team">
      <form onSubmit={(e) => void save(e)} aria-label={`Team ${team.name}`}>
        <div className="team-fields">
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} />
          <label htmlFor={leadId}>Lead</label>
          <select id={leadId} value={lead} onChange={(e) => setLead(e.target.value)}>
            <option value="">No lead</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="team-members">
          <legend>Members ({members.length})</legend>
          {users.map((u) => (
            <label key={u.id}>
              <input
                type="checkbox"
                checked={members.includes(u.id)}
                onChange={(e) => setMembers(e.target.checked ? [...members, u.id] : members.filter((m) => m !== u.id))}
              />
              {u.name}
            </label>
          ))}
        </fieldset>
        <p className="muted">The lead joins the team. A lead who is no longer a member stops being lead.</p>
        <ErrorAlert message={problem} />
        <div className="team-actions">
          <button type="submit">Save {team.name}</button>
          {confirming ? (
            <>
              <span>Delete {team.name}? Its members leave it; past calls keep counting for them.</span>
              <button type="button" className="danger" onClick={() => void deleteTeam(team.id, team.name).then((r) => (r.ok ? undefined : setProblem(r.error.message)))}>
                Delete
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          )}
        </div>
      </form>
    </li>
  );
}

/** Settings → Team (admins): the practice's teams, each with members and a lead. */
export function TeamsView() {
  const isAdmin = useIsAdmin();
  const overview = useTeams((s) => s.overview);
  const error = useTeams((s) => s.error);
  const message = useTeams((s) => s.message);
  const [newName, setNewName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const newId = useId();
  const userId = useMyUserId();
  useEffect(() => {
    // Whoever signed in before on this computer: their list and messages go.
    useTeams.getState().set({ overview: null, error: null, message: null });
    if (isAdmin) void loadTeams();
  }, [isAdmin, userId]);
  if (!isAdmin) return <p className="hint">Only account admins manage teams.</p>;
  const add = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const r = await createTeam({ name: newName, memberIds: [], leadUserId: null });
    if (r.ok) setNewName('');
    else setProblem(r.error.message);
  };
  return (
    <div className="teams">
      <h2>Teams</h2>
      <p className="muted">
        Reports count each call for the user who ended up handling it, in each of that user’s teams. A cold transfer hands the call to the colleague who takes it.
      </p>
      <p className="teams-message" role="status">
        {message ?? ''}
      </p>
      <ErrorAlert message={error} />
      <form className="team-new" onSubmit={(e) => void add(e)}>
        <label htmlFor={newId}>New team</label>
        <input id={newId} value={newName} maxLength={60} required onChange={(e) => setNewName(e.target.value)} />
        <button type="submit">Add team</button>
      </form>
      <ErrorAlert message={problem} />
      {!overview ? (
        !error ? <p className="placeholder">Loading teams…</p> : null
      ) : overview.teams.length === 0 ? (
        <p className="muted">No teams yet.</p>
      ) : (
        <ul className="team-list">
          {overview.teams.map((t) => (
            <TeamEditor key={t.id} team={t} users={overview.users} />
          ))}
        </ul>
      )}
    </div>
  );
}
