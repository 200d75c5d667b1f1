/**
 * 0130: contacts get custom fields (a JSON object of key → text), which workflows set (Update
 * Contact Field `custom_fields.<key>`), branch on (If/Else `contact.custom_fields.<key>`) and
 * render (`{{contact.custom_fields.<key>}}`).
 */
export const name = 'contact-custom-fields';
export const sql = /* sql */ `
ALTER TABLE contacts ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}';
`;
