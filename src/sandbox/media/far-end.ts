// The media far end of one call leg with a browser: a werift peer that offers or answers with
// loopback-only candidates, sends PCMU from an AudioSource every 20 ms, and measures what it
// receives (energy, RFC 4733 DTMF). Everything it hears is also handed to listeners, which is
// how bridging, echo and recording are built.
import { EventEmitter } from 'node:events';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { FRAME_SAMPLES, silence, type AudioSource } from './audio-source';
import { AudioMeter } from './audio-meter';
import { DtmfDetector } from './dtmf';
import type { MediaClock, Ticking } from './media-clock';
import { decodeMulaw } from './pcmu';

const PCMU_PT = 0;

function codecs(): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: PCMU_PT }),
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
  private readonly pc: RTCPeerConnection;
  private readonly track: MediaStreamTrack;
  private source: AudioSource = silence;
  private seq = Math.floor(Math.random() * 30000);
  private timestamp = Math.floor(Math.random() * 1e9);
  private readonly dtmf = new DtmfDetector((d) => {
    this.digits += d;
    this.emit('digit', d);
  });

  constructor(private readonly clock: MediaClock) {
    super();
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs() },
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
      headerExtensions: { audio: [] },
    });
    this.track = new MediaStreamTrack({ kind: 'audio' });
    const transceiver = this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
    transceiver.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((rtp) => this.receive(rtp)));
    this.pc.connectionStateChange.subscribe((s) => {
      const next: FarEndState = s === 'connected' ? 'connected' : s === 'failed' ? 'failed' : s === 'closed' ? 'closed' : this.state;
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
    return this.localSdp();
  }

  async acceptAnswer(sdp: string): Promise<void> {
    this.state = 'connecting';
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** For a call from a browser, and for its ICE-restart reinvites. */
  async answerOffer(sdp: string): Promise<string> {
    this.state = 'connecting';
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.localSdp();
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
        if (s === 'connected') {
          clearTimeout(timer);
          this.off('state', onState);
          resolve();
        }
      };
      this.on('state', onState);
    });
  }

  tick(): void {
    const frame = this.source.nextFrame();
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.seq = (this.seq + 1) & 0xffff;
    if (this.state !== 'connected') return;
    const header = new RtpHeader({ payloadType: PCMU_PT, sequenceNumber: this.seq, timestamp: this.timestamp, marker: false });
    this.track.writeRtp(new RtpPacket(header, frame));
    this.packetsSent++;
    this.sentMeter.add(decodeMulaw(frame));
  }

  /** Fault: media dies (no more RTP either way) while signaling stays up. */
  killMedia(): void {
    this.clock.remove(this);
    this.killed = true;
  }

  async close(): Promise<void> {
    this.clock.remove(this);
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
    } else if (pt === 101 || pt === 110) {
      this.dtmf.handle(rtp.payload, rtp.header.timestamp);
    }
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
