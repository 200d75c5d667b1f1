// Test-only (browser): records every RTCPeerConnection the page creates, so the voice harness can
// read RTP stats of the SDK's calls. Imported first by voice-harness-entry.ts, before the SDK.
export const peerConnections: RTCPeerConnection[] = [];

const Native = window.RTCPeerConnection;
window.RTCPeerConnection = class extends Native {
  constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
    super(...args);
    peerConnections.push(this);
  }
};
