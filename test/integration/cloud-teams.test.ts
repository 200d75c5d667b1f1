import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_USERS } from '../../src/cloud/seed';
import { teamMemberIds } from '../../src/cloud/teams/service';
import { teamSchema, type Team, type User } from '../../src/shared/cloud/entities';
import { problemSchema } from '../../src/shared/cloud/problem';
import { pullResponseSchema } from '../../src/shared/cloud/sync';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

describe.each(backends)('teams on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  const { receptionist, receptionist2, admin: adminUser } = DEMO_USERS;
  const expectProblem = (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(problemSchema.parse(res.body).code).toBe(code);
  };
  const pull = async (token: string, cursor: number) => pullResponseSchema.parse((await t.api(token, 'GET', `/v1/sync/pull?cursor=${cursor}&limit=5000`)).body);

  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  });
  afterAll(async () => t?.stop());

  it('lists the seeded team with its members to everyone', async () => {
    const res = await t.api(jordan, 'GET', '/v1/teams');
    expect(res.status).toBe(200);
    const teams = res.body.map((x: unknown) => teamSchema.parse(x)) as Team[];
    expect(teams).toEqual([expect.objectContaining({ id: 'team_demo_front_desk', name: 'Front Desk', leadUserId: null, memberIds: [receptionist2.id, receptionist.id].sort() })]);
  });

  it('admins create, rename, lead, re-staff and delete teams; each change reaches every desktop through sync', async () => {
    const start = (await pull(admin, 0)).cursor;
    const socket = await t.socket(jordan);
    const created = await t.api(admin, 'POST', '/v1/teams', { name: '  Consults ', memberIds: [receptionist2.id], leadUserId: adminUser.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const team = teamSchema.parse(created.body);
    expect(team).toMatchObject({ name: 'Consults', leadUserId: adminUser.id, memberIds: [adminUser.id, receptionist2.id].sort() });
    await socket.next('changed', (m) => m.entities.includes('teams') && m.entities.includes('users'));

    const page = await pull(jordan, start);
    expect(page.changes.teams).toEqual([expect.objectContaining({ id: team.id, leadUserId: adminUser.id })]);
    expect(page.changes.users.map((u: User) => [u.id, u.teamIds]).sort()).toEqual(
      [[adminUser.id, [team.id]], [receptionist2.id, ['team_demo_front_desk', team.id]]].sort(),
    );

    const renamed = await t.api(admin, 'PATCH', `/v1/teams/${team.id}`, { name: 'Consult desk', leadUserId: receptionist.id });
    expect(renamed.body).toMatchObject({ name: 'Consult desk', leadUserId: receptionist.id, memberIds: [adminUser.id, receptionist2.id, receptionist.id].sort() });

    const restaffed = await t.api(admin, 'PUT', `/v1/teams/${team.id}/members`, { memberIds: [receptionist2.id] });
    expect(restaffed.body).toMatchObject({ memberIds: [receptionist2.id], leadUserId: null });
    expect(await teamMemberIds(t.cloud.db, DEMO_ACCOUNT_ID, team.id)).toEqual([receptionist2.id]);

    const audit = await t.api(admin, 'GET', '/v1/audit?limit=10');
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['team.create', 'team.update', 'team.set_members']));

    const deleted = await t.api(admin, 'DELETE', `/v1/teams/${team.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await t.api(admin, 'GET', '/v1/teams')).body.map((x: Team) => x.id)).toEqual(['team_demo_front_desk']);
    const me = await t.api(admin, 'GET', `/v1/users`);
    expect(me.body.find((u: User) => u.id === receptionist2.id).teamIds).toEqual(['team_demo_front_desk']);
    expect(await teamMemberIds(t.cloud.db, DEMO_ACCOUNT_ID, team.id)).toEqual([]);
    // A deleted team's name is free again.
    expect((await t.api(admin, 'POST', '/v1/teams', { name: 'Consult desk' })).status).toBe(201);
    socket.close();
  });

  it('refuses receptionists, other practices’ users, unknown teams, duplicate names and bad bodies', async () => {
    expectProblem(await t.api(jordan, 'POST', '/v1/teams', { name: 'Mine' }), 403, 'FORBIDDEN');
    expectProblem(await t.api(jordan, 'PUT', '/v1/teams/team_demo_front_desk/members', { memberIds: [] }), 403, 'FORBIDDEN');
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ('acc_other', 'Other spa')`);
    await t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_other', 'acc_other', 'o@other.example', 'O', 'user', 'x')`);
    await t.cloud.db.query(`INSERT INTO teams (id, account_id, name) VALUES ('team_other', 'acc_other', 'Theirs')`);
    expectProblem(await t.api(admin, 'POST', '/v1/teams', { name: 'Raiders', memberIds: ['usr_other'] }), 404, 'NOT_FOUND');
    expectProblem(await t.api(admin, 'PATCH', '/v1/teams/team_other', { name: 'Mine now' }), 404, 'NOT_FOUND');
    expectProblem(await t.api(admin, 'DELETE', '/v1/teams/team_other'), 404, 'NOT_FOUND');
    expectProblem(await t.api(admin, 'PATCH', '/v1/teams/team_demo_front_desk', { leadUserId: 'usr_other' }), 404, 'NOT_FOUND');
    expectProblem(await t.api(admin, 'POST', '/v1/teams', { name: 'FRONT DESK' }), 409, 'CONFLICT');
    expectProblem(await t.api(admin, 'PATCH', '/v1/teams/team_demo_front_desk', {}), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'POST', '/v1/teams', { name: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'PUT', '/v1/teams/team_demo_front_desk/members', { memberIds: [receptionist.id, receptionist.id] }), 400, 'VALIDATION_FAILED');
    expect((await t.cloud.db.query(`SELECT name FROM teams WHERE id = 'team_other'`))[0]).toEqual({ name: 'Theirs' });
  });

  it('two admins creating the same name at once: one team, one conflict', async () => {
    const [a, b] = await Promise.all([
      t.api(admin, 'POST', '/v1/teams', { name: 'Evening shift' }),
      t.api(admin, 'POST', '/v1/teams', { name: 'evening shift' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await t.cloud.db.query(`SELECT count(*)::int AS n FROM teams WHERE lower(name) = 'evening shift' AND deleted_at IS NULL`))[0]).toEqual({ n: 1 });
  });
});
