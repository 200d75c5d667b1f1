import { IpcFailure } from '../../../shared/ipc';
import type { EmbeddedStack } from '../../embedded';
import type { NamespaceHandlers } from '../router';

export function demoHandlers(deps: { embedded: EmbeddedStack | undefined }): NamespaceHandlers<'demo'> {
  return {
    'demo.simulateCall': async (input) => {
      if (!deps.embedded) throw new IpcFailure('NOT_EMBEDDED', 'Simulated callers exist only in the demo practice (no cloud URL configured).');
      return deps.embedded.simulateInboundCall({ ...(input?.from ? { from: input.from } : {}) });
    },
    'demo.publishDnsRecords': async ({ records }) => {
      if (!deps.embedded) throw new IpcFailure('NOT_EMBEDDED', 'The demo DNS exists only in the demo practice: publish the records at your DNS provider.');
      return { published: await deps.embedded.publishDnsRecords(records) };
    },
  };
}
