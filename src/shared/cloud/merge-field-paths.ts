// Apart from workflows.ts's schemas: Settings' fields offer these, and Settings is imported on the
// page's way to "Ready for calls", where the schemas would bring zod (issue #21).

/** The merge fields the engine supplies (when the trigger or contact record has the data). */
export const mergeFieldPaths = [
  'contact.id', 'contact.name', 'contact.first_name', 'contact.last_name', 'contact.full_name', 'contact.phone', 'contact.email', 'contact.tags',
  'contact.custom_fields.<key>',
  'user.name', 'user.first_name', 'user.email', 'user.phone',
  'call.disposition', 'call.direction', 'call.status', 'call.duration', 'call.from', 'call.to', 'call.started_at', 'call.line',
  'appointment.start_time', 'appointment.only_start_date', 'appointment.only_start_time', 'appointment.end_time', 'appointment.status',
  'appointment.provider', 'appointment.calendar', 'appointment.location', 'appointment.notes',
  'account.name', 'account.company_phone',
  'custom.<key>', 'inbound_webhook.<field>',
] as const;
