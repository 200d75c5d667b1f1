import type { AppInfo } from '../../shared/ipc';
import type { ChosenCloud } from '../cloud-client/choose-cloud';
import type { HostPort } from './host-port';

/** What the About line and the status bar say about this run. */
export const appInfoFor = (deps: { host: Pick<HostPort, 'kind'>; appVersion: string; platform: string; cloud: ChosenCloud }): AppInfo => ({
  name: 'Aesthetix Softphone',
  version: deps.appVersion,
  host: deps.host.kind,
  platform: deps.platform,
  cloud: { mode: deps.cloud.target.mode, url: deps.cloud.url },
});
