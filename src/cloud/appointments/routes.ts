import { z } from 'zod';
import { appointmentSchema, bookAppointmentSchema, listAppointmentsQuerySchema, updateAppointmentSchema } from '../../shared/cloud/appointments';
import { write } from '../db/unit-of-work';
import { notFound } from '../errors';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { bookAppointment, getAppointment, listAppointments, nextAppointment, updateAppointment } from './service';

/** Appointments: any user of the practice books, reschedules and changes status (the front desk does). */
export const appointmentRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'appointments';
  router.add({
    method: 'GET', url: '/v1/appointments', tag, access: 'user', summary: 'Appointments by start time', query: listAppointmentsQuerySchema,
    response: z.array(appointmentSchema),
    handler: ({ principal, query }) => listAppointments(ctx, principal, query),
  });
  router.add({
    method: 'POST', url: '/v1/appointments', tag, access: 'user', summary: "Book an appointment (409 when it overlaps the provider's)", status: 201,
    body: bookAppointmentSchema, response: appointmentSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => bookAppointment(uow, principal, body)),
  });
  router.add({
    method: 'GET', url: '/v1/appointments/:id', tag, access: 'user', summary: 'One appointment', params: idParams, response: appointmentSchema,
    handler: ({ principal, params }) => getAppointment(ctx, principal, params.id),
  });
  router.add({
    method: 'PATCH', url: '/v1/appointments/:id', tag, access: 'user', summary: 'Reschedule, reassign or change the status', params: idParams,
    body: updateAppointmentSchema, response: appointmentSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateAppointment(uow, principal, params.id, body)),
  });
  router.add({
    method: 'GET', url: '/v1/contacts/:id/next-appointment', tag, access: 'user', summary: "The contact's next booked or confirmed appointment (null: none)",
    params: idParams, response: appointmentSchema.nullable(),
    handler: async ({ principal, params }) => {
      // Another practice's contact (or none) is a 404, not an empty answer (issue [security] #8).
      const own = await ctx.db.query(`SELECT 1 FROM contacts WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [params.id, principal.accountId]);
      if (own.length === 0) throw notFound('Contact');
      return nextAppointment(ctx.db, principal.accountId, params.id);
    },
  });
};
