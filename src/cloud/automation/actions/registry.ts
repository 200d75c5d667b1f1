import type { ActionType } from '../../../shared/cloud/workflows';
import { assignUserAction } from './assign-user';
import { createUpdateContactAction } from './create-update-contact';
import { dndAction } from './dnd';
import { internalNotificationAction } from './internal-notification';
import { manualCallAction, manualSmsAction } from './manual-task';
import { reviewRequestAction } from './review-request';
import { sendEmailAction } from './send-email';
import { sendSmsAction } from './send-sms';
import { slackAction } from './slack';
import { voicemailDropAction } from './voicemail-drop';
import { callAction } from './call';
import { logExternalCallAction } from './log-external-call';
import { addTagAction, removeTagAction } from './tags';
import { updateContactFieldAction } from './update-contact-field';
import { waitAction } from './wait';
import type { ActionDefinition } from './types';

/**
 * Every action the engine can execute, by type. A new action: its own file in this folder
 * exporting an ActionDefinition (see types.ts for the rules), and one line here. An action type
 * of the document schema without an executor here is logged as "skipped: not available on this
 * server" — never pretended done.
 */
// One line per action (merges stay clean when several engineers add actions).
const definitions = [
  addTagAction,
  removeTagAction,
  dndAction,
  assignUserAction,
  createUpdateContactAction,
  updateContactFieldAction,
  waitAction,
  manualSmsAction,
  manualCallAction,
  sendSmsAction,
  sendEmailAction,
  internalNotificationAction,
  slackAction,
  reviewRequestAction,
  voicemailDropAction,
  callAction,
  logExternalCallAction,
] as ActionDefinition<never>[];

const byType = new Map<ActionType, ActionDefinition<never>>(definitions.map((d) => [d.type, d]));

export function actionFor(type: ActionType): ActionDefinition<unknown> | undefined {
  return byType.get(type) as ActionDefinition<unknown> | undefined;
}

/** For tests and the builder: which types have executors. */
export const registeredActionTypes = (): ActionType[] => [...byType.keys()];

/** Tests register stand-in actions (or replace one) and restore the registry afterwards. */
export function registerAction(definition: ActionDefinition<never>): () => void {
  const previous = byType.get(definition.type);
  byType.set(definition.type, definition);
  return () => {
    if (previous) byType.set(definition.type, previous);
    else byType.delete(definition.type);
  };
}
