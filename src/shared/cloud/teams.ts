import { z } from 'zod';

/** Request bodies of `/v1/teams…` (admin only). A team's members are users of the practice; its lead is one of them. */
const id = z.string().min(1).max(64);
export const teamNameSchema = z.string().trim().min(1).max(60);
const memberIds = z.array(id).max(500).refine((ids) => new Set(ids).size === ids.length, 'A member is listed twice');

export const createTeamSchema = z.object({
  name: teamNameSchema,
  memberIds: memberIds.default([]),
  /** Added to the members if not listed. */
  leadUserId: id.nullable().default(null),
});
export type CreateTeamInput = z.input<typeof createTeamSchema>;

export const updateTeamSchema = z
  .object({ name: teamNameSchema.optional(), leadUserId: id.nullable().optional() })
  .refine((b) => b.name !== undefined || b.leadUserId !== undefined, 'Nothing to change');
export type UpdateTeamInput = z.input<typeof updateTeamSchema>;

/** The whole member list (replaces it). The lead stays lead only if still a member. */
export const setTeamMembersSchema = z.object({ memberIds });
export type SetTeamMembersInput = z.input<typeof setTeamMembersSchema>;
