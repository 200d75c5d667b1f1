// The page that hosts real Twilio Devices in Chromium. It loads the SDK's UMD bundle by path and
// reports every Device/Call event to Node through an exposed binding.

export const HARNESS_SCRIPT = String.raw`
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const emit = (e) => window.harnessEvent(JSON.stringify({ ...e, at: now() }));
  const devices = new Map();
  const calls = new Map();
  let nextCall = 1;
  const sounds = {};
  for (const n of ['incoming','outgoing','disconnect','dtmf0','dtmf1','dtmf2','dtmf3','dtmf4','dtmf5','dtmf6','dtmf7','dtmf8','dtmf9','dtmfs','dtmfh']) {
    sounds[n] = location.origin + '/sounds/' + n + '.wav';
  }
  const pcOf = (call) => call && call._mediaHandler && call._mediaHandler.version && call._mediaHandler.version.pc;

  function watchCall(deviceId, call) {
    const id = 'c' + nextCall++;
    calls.set(id, call);
    const base = () => ({ deviceId, callId: id, callSid: call.parameters && call.parameters.CallSid });
    for (const ev of ['accept','cancel','disconnect','reject','ringing','reconnecting','reconnected','mute']) {
      call.on(ev, () => emit({ type: 'call.' + ev, ...base() }));
    }
    call.on('error', (err) => emit({ type: 'call.error', ...base(), code: err.code, message: err.message }));
    call.on('warning', (name) => emit({ type: 'call.warning', ...base(), name }));
    call.on('messageReceived', (m) => emit({ type: 'call.messageReceived', ...base(), content: m.content, messageType: m.messageType }));
    call.on('messageSent', (m) => emit({ type: 'call.messageSent', ...base(), voiceEventSid: m.voiceEventSid }));
    // ICE state of the call's own RTCPeerConnection, to time media separately from signaling.
    const hook = () => {
      const pc = pcOf(call);
      if (!pc) return setTimeout(hook, 5);
      if (pc.__harnessWatched) return;
      pc.__harnessWatched = true;
      const report = () => emit({ type: 'call.ice', ...base(), state: pc.iceConnectionState });
      pc.addEventListener('iceconnectionstatechange', report);
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') report();
    };
    hook();
    return id;
  }

  window.harness = {
    createDevice(deviceId, token, options) {
      // sounds: 'sdk-default' leaves the SDK's own sound URLs (Twilio's sound host) in place.
      const opts = { logLevel: 'error', sounds, ...options };
      if (opts.sounds === 'sdk-default') delete opts.sounds;
      const device = new Twilio.Device(token, opts);
      devices.set(deviceId, device);
      for (const ev of ['registered','registering','unregistered','destroyed','tokenWillExpire']) {
        device.on(ev, () => emit({ type: 'device.' + ev, deviceId }));
      }
      device.on('error', (err) => emit({ type: 'device.error', deviceId, code: err.code, message: err.message }));
      device.on('incoming', (call) => {
        const callId = watchCall(deviceId, call);
        emit({ type: 'device.incoming', deviceId, callId, callSid: call.parameters.CallSid, from: call.parameters.From, to: call.parameters.To,
          customParameters: Object.fromEntries(call.customParameters) });
      });
    },
    async register(deviceId) { await devices.get(deviceId).register(); },
    async unregister(deviceId) { await devices.get(deviceId).unregister(); },
    updateToken(deviceId, token) { devices.get(deviceId).updateToken(token); },
    destroy(deviceId) { devices.get(deviceId).destroy(); devices.delete(deviceId); },
    identity(deviceId) { return devices.get(deviceId).identity; },
    state(deviceId) { return devices.get(deviceId).state; },
    async connect(deviceId, params) {
      const call = await devices.get(deviceId).connect({ params });
      return watchCall(deviceId, call);
    },
    accept(callId) { emit({ type: 'call.accepting', callId }); calls.get(callId).accept(); },
    reject(callId) { calls.get(callId).reject(); },
    disconnect(callId) { calls.get(callId).disconnect(); },
    sendDigits(callId, digits) { calls.get(callId).sendDigits(digits); },
    mute(callId, muted) { calls.get(callId).mute(muted); },
    sendMessage(callId, content) { return calls.get(callId).sendMessage({ content, messageType: 'user-defined-message', contentType: 'application/json' }); },
    iceRestart(callId) { calls.get(callId)._mediaHandler.iceRestart(); },
    callSid(callId) { return calls.get(callId).parameters.CallSid; },
    callStatus(callId) { return calls.get(callId).status(); },
    async waitForInboundAudio(callId, minEnergy, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const s = await window.harness.audioStats(callId);
        if (s && s.packetsReceived > 10 && s.totalAudioEnergy > minEnergy) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    async waitForPackets(callId, minPackets, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const s = await window.harness.audioStats(callId);
        if (s && s.packetsReceived >= minPackets) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    async audioStats(callId) {
      const pc = pcOf(calls.get(callId));
      if (!pc) return null;
      const out = { packetsReceived: 0, packetsSent: 0, totalAudioEnergy: 0, audioLevel: 0, iceState: pc.iceConnectionState, codec: '', inboundCodec: '', outboundCodec: '' };
      const stats = await pc.getStats();
      const mimeOf = (id) => (id && stats.get(id) && stats.get(id).mimeType) || '';
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') { out.packetsReceived = s.packetsReceived; out.totalAudioEnergy = s.totalAudioEnergy || 0; out.audioLevel = s.audioLevel || 0; out.inboundCodec = mimeOf(s.codecId); }
        if (s.type === 'outbound-rtp' && s.kind === 'audio') { out.packetsSent = s.packetsSent; out.outboundCodec = mimeOf(s.codecId); }
        if (s.type === 'codec' && s.mimeType && s.mimeType.startsWith('audio/') && !s.mimeType.includes('telephone')) out.codec = s.mimeType;
      });
      return out;
    },
  };
})();
`;

export function harnessHtml(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>sdk harness</title></head>
<body><script src="/twilio.min.js"></script><script src="/harness.js"></script></body></html>`;
}
