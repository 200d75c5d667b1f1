// The media far end of one call leg with a browser: a werift peer that offers or answers with
// loopback-only candidates, sends PCMU from an AudioSource every 20 ms, and measures what it
// receives (energy, RFC 4733 DTMF). Everything it hears is also handed to listeners, which is
// how bridging, echo and recording are built.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type * as Werift from 'werift';
import type { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpPacket, RTCRtpTransceiver } from 'werift';
import { FRAME_SAMPLES, silence, type AudioSource } from './audio-source';
import { AudioMeter } from './audio-meter';
import type { ConnectingMedia } from './connecting-media';
import { DtmfDetector } from './dtmf';
import type { MediaClock, Ticking } from './media-clock';
import { OPUS_FRAME_TICKS, OpusCodec, opusScriptModule } from './opus';
import { decodeMulaw, encodeMulaw } from './pcmu';

const PCMU_PT = 0;
const OPUS_PT = 111;

let werift: typeof Werift | undefined;

/**
 * werift, loaded on the first call's media rather than at start: loading it costs ~0.5 s of CPU,
 * which a start (the sandbox of the embedded default) should not pay before "Ready for calls".
 * `preloadMedia` loads it ahead of the first call, once the start is over.
 */
function weriftModule(): typeof Werift {
  werift ??= createRequire(import.meta.url)('werift') as typeof Werift;
  return werift;
}

/** Loads the media stack now, so the first call does not wait for it. */
export function preloadMedia(): void {
  weriftModule();
  opusScriptModule();
}

/**
 * PCMU first (the SDK's default preference), then Opus for Devices that prefer it
 * (`codecPreferences: ['opus', 'pcmu']`): whichever the browser puts first is what both ends send.
 */
function codecs(): RTCRtpCodecParameters[] {
  const { RTCRtpCodecParameters } = weriftModule();
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: PCMU_PT }),
    new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: OPUS_PT, parameters: 'minptime=10;useinbandfec=1' }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: 101, parameters: '0-16' }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1, payloadType: 110, parameters: '0-16' }),
  ];
}

/** Keeps only loopback candidates: werift also advertises the machine's other interfaces. */
export function loopbackOnlySdp(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.includes(' 127.0.0.1 '))
    .join('\r\n');
}

/**
 * werift 0.24's ICE falls back to stun.l.google.com:19302 when no STUN server is configured (its
 * `Connection` constructor), `iceServers: []` included: every far end looked that name up in DNS
 * and, wherever it resolves, would send STUN requests to Google; its offer waits for that attempt
 * (gathering completes after it). The sandbox never leaves loopback, so its ICE has no STUN server.
 * `stunServer` is a public field of werift's ICE connection, read when gathering starts.
 */
function withoutStunServer(pc: RTCPeerConnection): void {
  for (const transport of pc.iceTransports) (transport.connection as { stunServer?: unknown }).stunServer = undefined;
}

export type FarEndState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface FarEndEvents {
  audio: [pcm: Int16Array, pcmu: Buffer];
  digit: [digit: string];
  state: [state: FarEndState];
}

export class MediaFarEnd extends EventEmitter<FarEndEvents> implements Ticking {
  /** What the browser sent us. */
  readonly meter = new AudioMeter();
  /** What we sent the browser. */
  readonly sentMeter = new AudioMeter();
  digits = '';
  state: FarEndState = 'new';
  packetsSent = 0;
  private killed = false;
  private dtlsServer = false;
  /** The SDP the browser has accepted from us. */
  private negotiatedSdp: string | null = null;
  private readonly transceiver: RTCRtpTransceiver;
  private readonly pc: RTCPeerConnection;
  private readonly track: MediaStreamTrack;
  private source: AudioSource = silence;
  /** Encodes what we send and decodes what we hear when the call negotiated Opus. */
  private opus: OpusCodec | null = null;
  private seq = Math.floor(Math.random() * 30000);
  private timestamp = Math.floor(Math.random() * 1e9);
  private readonly dtmf = new DtmfDetector((d) => {
    this.digits += d;
    this.emit('digit', d);
  });

  /** Ends this far end's count in `connectingMedia` (idempotent); null until its ICE starts, kept after, so it counts once. */
  private endConnecting: (() => void) | null = null;

  constructor(
    private readonly clock: MediaClock,
    /** Where this far end counts as connecting until its media is up (the sandbox's callbacks wait for it). */
    private readonly connectingMedia?: ConnectingMedia,
  ) {
    super();
    const { MediaStreamTrack, RTCPeerConnection } = weriftModule();
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs() },
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
      // werift defaults to Google's STUN server; the sandbox never leaves loopback.
      iceServers: [],
      // Full ICE, not ICE-lite: with werift checking too, accept() → ICE connected takes ~40 ms
      // instead of ~150 ms (the browser paces its own checks).
      // A killed far end stops answering connectivity checks too, like a dead media server.
      iceFilterStunResponse: () => !this.killed,
      headerExtensions: { audio: [] },
    });
    this.track = new MediaStreamTrack({ kind: 'audio' });
    const transceiver = this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
    withoutStunServer(this.pc);
    this.transceiver = transceiver;
    transceiver.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((rtp) => this.receive(rtp)));
    this.pc.connectionStateChange.subscribe((s) => {
      const next: FarEndState = s === 'connected' ? 'connected' : s === 'failed' ? 'failed' : s === 'closed' ? 'closed' : this.state;
      if (next !== 'connecting' && next !== 'new') this.stopConnecting();
      if (next !== this.state) {
        this.state = next;
        this.emit('state', next);
      }
    });
    this.clock.add(this);
  }

  /** For a call towards a browser: our offer, candidates included. */
  async createOffer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.negotiatedSdp = await this.localSdp();
    return this.negotiatedSdp;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    this.state = 'connecting';
    // The browser answered our offer as DTLS client, so we are the DTLS server from now on.
    if (/a=setup:active/.test(sdp)) this.dtlsServer = true;
    this.startConnecting();
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** For a call from a browser. */
  async answerOffer(sdp: string): Promise<string> {
    if (this.state === 'new') this.state = 'connecting';
    this.startConnecting();
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.negotiatedSdp = await this.localSdp();
    return this.negotiatedSdp;
  }

  /**
   * An ICE-restart re-offer from the browser. werift 0.24 loses media when it restarts ICE under
   * a live DTLS session, so we keep our ICE credentials, candidates and DTLS role: the browser's
   * new checks still validate against them and it nominates a new pair over the same DTLS-SRTP
   * session. The re-offer itself is not applied to werift (see README, known differences).
   */
  answerReoffer(): string {
    if (!this.negotiatedSdp) throw new Error('re-offer before the first negotiation');
    return this.negotiatedSdp.replace(/a=setup:actpass/g, this.dtlsServer ? 'a=setup:passive' : 'a=setup:active');
  }

  setSource(source: AudioSource): void {
    this.source = source;
  }

  get sourceKind(): string {
    return this.source.kind;
  }

  waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('far end media did not connect')), timeoutMs);
      const onState = (s: FarEndState): void => {
        if (s !== 'connected' && s !== 'closed' && s !== 'failed') return;
        clearTimeout(timer);
        this.off('state', onState);
        if (s === 'connected') resolve();
        else reject(new Error(`far end media ${s}`));
      };
      this.on('state', onState);
    });
  }

  /** The audio codec both ends send: the first one of the negotiated list. */
  get codec(): 'PCMU' | 'opus' {
    const first = this.transceiver.codecs.find((c) => !c.mimeType.toLowerCase().endsWith('telephone-event'));
    return first?.mimeType.toLowerCase() === 'audio/opus' ? 'opus' : 'PCMU';
  }

  tick(): void {
    const frame = this.source.nextFrame();
    const sending = this.state === 'connected' ? this.codec : 'PCMU';
    this.timestamp = (this.timestamp + (sending === 'opus' ? OPUS_FRAME_TICKS : FRAME_SAMPLES)) >>> 0;
    this.seq = (this.seq + 1) & 0xffff;
    if (this.state !== 'connected') return;
    const payloadType = sending === 'opus' ? this.payloadTypeOf('audio/opus') : PCMU_PT;
    const payload = sending === 'opus' ? this.opusCodec().encode(decodeMulaw(frame)) : frame;
    const { RtpHeader, RtpPacket } = weriftModule();
    const header = new RtpHeader({ payloadType, sequenceNumber: this.seq, timestamp: this.timestamp, marker: false });
    this.track.writeRtp(new RtpPacket(header, payload));
    this.packetsSent++;
    this.sentMeter.add(decodeMulaw(frame));
  }

  /** Fault: media dies (no more RTP either way) while signaling stays up. */
  killMedia(): void {
    this.clock.remove(this);
    this.killed = true;
  }

  /** Its ICE starts: counted in `connectingMedia` until its media connects (ICE and DTLS) or fails, or it closes (once per far end). */
  private startConnecting(): void {
    if (!this.connectingMedia || this.endConnecting) return;
    this.endConnecting = this.connectingMedia.begin();
  }

  private stopConnecting(): void {
    this.endConnecting?.();
  }

  async close(): Promise<void> {
    this.stopConnecting();
    this.clock.remove(this);
    this.opus?.dispose();
    this.opus = null;
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.emit('state', 'closed');
    await this.pc.close().catch(() => undefined);
  }

  private receive(rtp: RtpPacket): void {
    if (this.killed) return;
    const pt = rtp.header.payloadType;
    if (pt === PCMU_PT) {
      const pcm = decodeMulaw(rtp.payload);
      this.meter.add(pcm);
      this.emit('audio', pcm, rtp.payload);
    } else if (pt === this.payloadTypeOf('audio/opus')) {
      // The rest of the sandbox (bridges, recordings, meters) works in 8 kHz PCMU frames.
      const pcm = this.opusCodec().decode(rtp.payload);
      this.meter.add(pcm);
      this.emit('audio', pcm, encodeMulaw(pcm));
    } else if (this.isTelephoneEvent(pt)) {
      this.dtmf.handle(rtp.payload, rtp.header.timestamp);
    }
  }

  private payloadTypeOf(mimeType: string): number {
    return this.transceiver.codecs.find((c) => c.mimeType.toLowerCase() === mimeType)?.payloadType ?? -1;
  }

  private opusCodec(): OpusCodec {
    this.opus ??= new OpusCodec();
    return this.opus;
  }

  /** Chromium picks the telephone-event payload type in its own offers, so look it up. */
  private isTelephoneEvent(pt: number): boolean {
    return this.transceiver.codecs.some((c) => c.payloadType === pt && c.mimeType.toLowerCase() === 'audio/telephone-event');
  }

  private async localSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const sub = this.pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') {
            sub.unSubscribe();
            resolve();
          }
        });
      });
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('far end has no local description');
    return loopbackOnlySdp(sdp);
  }
}
