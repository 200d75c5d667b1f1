import { setWhatsAppSenderSchema, whatsAppSettingsSchema } from '../../shared/cloud/whatsapp';
import { write } from '../db/unit-of-work';
import type { FeatureRoutes } from '../http/router';
import { fetchWhatsAppTemplates, setWhatsAppSender, storeWhatsAppTemplates, whatsAppSettings } from './whatsapp-settings';

/** Settings → WhatsApp: the sender number and the approved templates (admins). */
export const whatsAppRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'messaging';
  router.add({
    method: 'GET', url: '/v1/whatsapp/settings', tag, access: 'admin', summary: "The WhatsApp sender number and the templates last read from Twilio's Content API",
    response: whatsAppSettingsSchema,
    handler: ({ principal }) => whatsAppSettings(ctx.db, principal.accountId),
  });
  router.add({
    method: 'PUT', url: '/v1/whatsapp/sender', tag, access: 'admin', summary: 'Choose the WhatsApp sender (one of the practice’s numbers) or clear it',
    body: setWhatsAppSenderSchema, response: whatsAppSettingsSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => setWhatsAppSender(uow, principal, body.phoneNumberId)),
  });
  router.add({
    method: 'POST', url: '/v1/whatsapp/templates/refresh', tag, access: 'admin',
    summary: "Read the templates and their WhatsApp approval status from Twilio's Content API (removed ones are marked removed)",
    response: whatsAppSettingsSchema,
    handler: async ({ principal }) => {
      const contents = await fetchWhatsAppTemplates(ctx); // no transaction open during Twilio's answer
      return write(ctx.db, principal.accountId, (uow) => storeWhatsAppTemplates(uow, principal, contents));
    },
  });
};
