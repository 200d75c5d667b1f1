import { z } from 'zod';
import { teamSchema } from '../../shared/cloud/entities';
import { createTeamSchema, setTeamMembersSchema, updateTeamSchema } from '../../shared/cloud/teams';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createTeam, deleteTeam, listTeams, setTeamMembers, updateTeam } from './service';

/** Teams: everyone reads them (report filters, transfers); admins manage them (checked in the service too). */
export const teamRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/teams', tag: 'teams', access: 'user', summary: "The practice's teams, with members and lead",
    response: z.array(teamSchema),
    handler: ({ principal }) => listTeams(ctx, principal),
  });
  router.add({
    method: 'POST', url: '/v1/teams', tag: 'teams', access: 'admin', summary: 'Create a team (the lead joins it)', status: 201,
    body: createTeamSchema, response: teamSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createTeam(uow, principal, body)),
  });
  router.add({
    method: 'PATCH', url: '/v1/teams/:id', tag: 'teams', access: 'admin', summary: 'Rename a team or choose its lead (the lead joins it)',
    params: idParams, body: updateTeamSchema, response: teamSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateTeam(uow, principal, params.id, body)),
  });
  router.add({
    method: 'PUT', url: '/v1/teams/:id/members', tag: 'teams', access: 'admin', summary: "Replace a team's members (a lead who leaves is no longer lead)",
    params: idParams, body: setTeamMembersSchema, response: teamSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => setTeamMembers(uow, principal, params.id, body.memberIds)),
  });
  router.add({
    method: 'DELETE', url: '/v1/teams/:id', tag: 'teams', access: 'admin', summary: 'Delete a team (its members leave it)',
    params: idParams, response: teamSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteTeam(uow, principal, params.id)),
  });
};
