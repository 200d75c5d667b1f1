import { z } from 'zod';
import { dispositionLabelSchema, dndSchema, inboundRoutingSchema } from './entities';
import { emailAddressSchema } from './email-address-schema';
import { e164Schema } from './phone';

/** Request bodies of the REST routes other components call (see src/cloud/README.md). */
export const createDispositionSchema = z.object({ label: dispositionLabelSchema });
export const renameDispositionSchema = z.object({ label: dispositionLabelSchema });
export const reorderDispositionsSchema = z.object({ orderedIds: z.array(z.string().min(1)).min(1).max(10) });

export const setCallDispositionSchema = z.object({
  dispositionId: z.string().min(1).nullable(),
  note: z.string().max(4000).nullable().optional(),
});

export const updateContactSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  phone: e164Schema.nullable().optional(),
  email: emailAddressSchema().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  assignedUserId: z.string().min(1).nullable().optional(),
  dnd: dndSchema.optional(),
});

export const updatePhoneNumberSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  forwardingNumber: e164Schema.nullable().optional(),
  callerIdMode: z.enum(['caller', 'number']).optional(),
  callConnect: z.boolean().optional(),
  whisperMessage: z.string().trim().max(500).nullable().optional(),
  recordCalls: z.boolean().optional(),
  ringTimeoutSeconds: z.number().int().min(5).max(120).optional(),
  inboundRouting: inboundRoutingSchema.optional(),
  assignedUserId: z.string().min(1).nullable().optional(),
  ringAllUserIds: z.array(z.string().min(1)).max(100).optional(),
});

export const recordingActionSchema = z.object({ action: z.enum(['pause', 'resume']) });
export const transferCallSchema = z.union([
  z.object({ toUserId: z.string().min(1) }),
  z.object({ toNumber: e164Schema }),
]);

export const listCallsQuerySchema = z.object({
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  dispositionId: z.string().optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  userId: z.string().optional(),
});
