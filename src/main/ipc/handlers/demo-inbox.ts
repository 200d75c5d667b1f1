import { IpcFailure } from '../../../shared/ipc/result';
import type { EmbeddedStack } from '../../embedded';
import type { NamespaceHandlers } from '../router';

const NOT_EMBEDDED =
  'The Demo inbox shows what the demo practice on this computer sends. This app is connected to a real cloud: its codes go to real email addresses and phones.';

export function demoInboxHandlers(deps: { embedded: EmbeddedStack | undefined }): NamespaceHandlers<'demoInbox'> {
  return {
    'demoInbox.list': async (input) => {
      if (!deps.embedded) return { available: false, reason: NOT_EMBEDDED, messages: [] };
      return { available: true, reason: null, messages: await deps.embedded.recentMessages(input?.limit ?? 20) };
    },
    'demoInbox.reply': async (input) => {
      if (!deps.embedded) throw new IpcFailure('UNAVAILABLE', NOT_EMBEDDED);
      try {
        return await deps.embedded.replyToEmail(input);
      } catch (error) {
        // Said plainly (a refused reply, a message that vanished): the reply was not counted.
        throw new IpcFailure('DEMO_REPLY_FAILED', `The reply was not sent: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
