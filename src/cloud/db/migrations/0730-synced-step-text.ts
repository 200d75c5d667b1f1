/**
 * 0730: Send Email steps with "Sync Edits to Template" on used to send their template's text as it
 * was at send time and never their own copy, which the builder showed but nothing kept up to date.
 * They now send their own text (the version's; templates/sync.ts keeps drafts and templates the
 * same), so each such step — in drafts and in every published version — takes the text it was
 * actually sending: its template's body, and its subject unless that is blank (the old send fell
 * back to the step's subject then). Steps whose template is gone keep their own copy, as they sent.
 */
export const name = 'synced-step-text';
export const sql = /* sql */ `
CREATE FUNCTION pg_temp.synced_step_text(steps jsonb, account text) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  result jsonb := '[]'::jsonb;
  step jsonb;
  tpl record;
BEGIN
  IF steps IS NULL OR jsonb_typeof(steps) <> 'array' THEN
    RETURN steps;
  END IF;
  FOR step IN SELECT value FROM jsonb_array_elements(steps) AS e(value) LOOP
    IF step->>'type' = 'send_email' AND step->'config'->'syncTemplateEdits' = 'true'::jsonb AND jsonb_typeof(step->'config'->'templateId') = 'string' THEN
      SELECT t.subject, t.body INTO tpl FROM message_templates t
       WHERE t.id = step->'config'->>'templateId' AND t.account_id = account AND t.channel = 'email' AND t.deleted_at IS NULL;
      IF FOUND THEN
        step := jsonb_set(step, '{config,body}', to_jsonb(tpl.body));
        IF tpl.subject <> '' THEN
          step := jsonb_set(step, '{config,subject}', to_jsonb(tpl.subject));
        END IF;
      END IF;
    ELSIF step->>'type' = 'if_else' THEN
      IF jsonb_typeof(step->'branches') = 'array' THEN
        step := jsonb_set(step, '{branches}', (
          SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(b->'steps') = 'array' THEN jsonb_set(b, '{steps}', pg_temp.synced_step_text(b->'steps', account)) ELSE b END ORDER BY ord), '[]'::jsonb)
            FROM jsonb_array_elements(step->'branches') WITH ORDINALITY AS x(b, ord)));
      END IF;
      IF jsonb_typeof(step->'elseSteps') = 'array' THEN
        step := jsonb_set(step, '{elseSteps}', pg_temp.synced_step_text(step->'elseSteps', account));
      END IF;
    END IF;
    result := result || jsonb_build_array(step);
  END LOOP;
  RETURN result;
END
$fn$;

UPDATE workflows w SET draft = jsonb_set(w.draft, '{steps}', pg_temp.synced_step_text(w.draft->'steps', w.account_id))
 WHERE jsonb_typeof(w.draft->'steps') = 'array' AND strpos(w.draft::text, 'syncTemplateEdits') > 0;

UPDATE workflow_versions v SET document = jsonb_set(v.document, '{steps}', pg_temp.synced_step_text(v.document->'steps', w.account_id))
  FROM workflows w
 WHERE w.id = v.workflow_id AND jsonb_typeof(v.document->'steps') = 'array' AND strpos(v.document::text, 'syncTemplateEdits') > 0;

DROP FUNCTION pg_temp.synced_step_text(jsonb, text);
`;
