import type { HostPort } from '../../hosts/host-port';
import type { NamespaceHandlers } from '../router';

export function windowHandlers(deps: { host: HostPort }): NamespaceHandlers<'window'> {
  return {
    'window.show': () => ({ shown: deps.host.showWindow() }),
  };
}
