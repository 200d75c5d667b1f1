import { z } from 'zod';
import { appointmentStatusSchema } from './workflows';

/** Appointments: the wire entity (REST, sync) and the request bodies of `/v1/appointments…`. */
const id = z.string().min(1).max(64);
const iso = z.string().datetime({ offset: true });

export const appointmentSchema = z.object({
  id,
  accountId: id,
  contactId: id,
  /** The user who provides the service (the overlap check is per provider). */
  providerId: id.nullable(),
  locationId: id.nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: appointmentStatusSchema,
  calendar: z.string().nullable(),
  title: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  seq: z.number().int(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

const text = (max: number) => z.string().trim().max(max);

export const bookAppointmentSchema = z
  .object({
    contactId: id,
    providerId: id.nullable().default(null),
    locationId: id.nullable().default(null),
    startsAt: iso,
    /** The end, or a duration in minutes (one of them). */
    endsAt: iso.optional(),
    durationMinutes: z.number().int().min(5).max(24 * 60).optional(),
    status: z.enum(['booked', 'confirmed']).default('booked'),
    calendar: text(100).nullable().default(null),
    title: text(200).nullable().default(null),
    notes: text(4000).nullable().default(null),
  })
  .strict()
  .refine((b) => (b.endsAt === undefined) !== (b.durationMinutes === undefined), { message: 'Give endsAt or durationMinutes', path: ['endsAt'] });
export type BookAppointmentInput = z.input<typeof bookAppointmentSchema>;

export const updateAppointmentSchema = z
  .object({
    status: appointmentStatusSchema.optional(),
    providerId: id.nullable().optional(),
    locationId: id.nullable().optional(),
    startsAt: iso.optional(),
    endsAt: iso.optional(),
    calendar: text(100).nullable().optional(),
    title: text(200).nullable().optional(),
    notes: text(4000).nullable().optional(),
  })
  .strict();

export const listAppointmentsQuerySchema = z.object({
  contactId: id.optional(),
  providerId: id.optional(),
  status: appointmentStatusSchema.optional(),
  /** Starting at or after / before (ISO). */
  from: iso.optional(),
  to: iso.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
