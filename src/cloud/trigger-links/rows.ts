import type { TriggerLink } from '../../shared/cloud/trigger-links';
import { int, text, textOrNull, type Row } from '../db/columns';

/**
 * A trigger_links row with its figures → the wire entity. The figures are summed over the link's
 * tokens (test sends left out); `lastClickedAt` is the newest click of any of them.
 */
export const TRIGGER_LINK_COLUMNS = `l.id, l.name, l.key, l.url, l.created_at, l.updated_at,
  (SELECT count(*) FROM trigger_link_tokens k WHERE k.link_id = l.id AND NOT k.test) AS sent,
  (SELECT coalesce(sum(k.clicks), 0) FROM trigger_link_tokens k WHERE k.link_id = l.id AND NOT k.test) AS clicks,
  (SELECT count(DISTINCT k.contact_id) FROM trigger_link_tokens k WHERE k.link_id = l.id AND NOT k.test AND k.clicks > 0) AS contacts_clicked,
  (SELECT max(k.last_clicked_at) FROM trigger_link_tokens k WHERE k.link_id = l.id AND NOT k.test) AS last_clicked_at`;

export const toTriggerLink = (r: Row): TriggerLink => ({
  id: text(r.id),
  name: text(r.name),
  key: text(r.key),
  url: text(r.url),
  sent: int(r.sent),
  clicks: int(r.clicks),
  contactsClicked: int(r.contacts_clicked),
  lastClickedAt: textOrNull(r.last_clicked_at),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
});
