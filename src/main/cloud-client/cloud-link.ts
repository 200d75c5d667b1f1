/** Port 9 (discard) refuses connections: what an unreachable cloud looks like to the socket. */
const REFUSING_URL = 'ws://127.0.0.1:9/v1/realtime';

/**
 * The way to the cloud, which the E2E suite (only under NODE_ENV=test) can cut as a dropped network
 * would: every request fails like a network error and the realtime socket dials a refusing port.
 */
export class CloudLink {
  private reachable = true;

  readonly fetch: typeof fetch = (input, init) =>
    this.reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed (the network is down)'));

  realtimeUrl(url: string): string {
    return this.reachable ? url : REFUSING_URL;
  }

  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }
}
