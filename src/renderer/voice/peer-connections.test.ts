import { describe, expect, it, vi } from 'vitest';
import { BrowserPeerConnections, type AnswerWatch, type PeerConnectionClass } from './peer-connections';

/**
 * The browser's RTCPeerConnection as far as peer-connections.ts uses it. Its own listener list, not
 * the test DOM's EventTarget (which also calls `on<type>` properties, unlike Node's and unlike the
 * browser's for a handler replaced by an own accessor).
 */
class FakePeerConnection {
  static made: FakePeerConnection[] = [];
  static generateCertificate = () => 'certificate';
  iceConnectionState: RTCIceConnectionState = 'new';
  signalingState: RTCSignalingState = 'stable';
  ontrack: ((event: Event) => void) | null = null;
  private readonly listeners = new Map<string, Set<(event: Event) => void>>();
  constructor(readonly configuration?: RTCConfiguration) {
    FakePeerConnection.made.push(this);
  }
  addEventListener(type: string, listener: (event: Event) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  dispatchEvent(event: Event): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
  }
  close(): void {
    this.signalingState = 'closed';
  }
  ice(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }
}

function setup() {
  FakePeerConnection.made = [];
  const scheduled: Array<() => void> = [];
  const log = vi.fn();
  const connections = new BrowserPeerConnections(FakePeerConnection as unknown as PeerConnectionClass, log, (task) => scheduled.push(task));
  const Sdk = connections.peerConnectionClass as unknown as new (configuration?: RTCConfiguration) => FakePeerConnection;
  const runScheduled = () => scheduled.splice(0).forEach((task) => task());
  return { connections, Sdk, runScheduled, log };
}

function recordingWatch() {
  const deferred: Array<() => void> = [];
  const watch: AnswerWatch & { settledCalls: number } = {
    settledCalls: 0,
    settled: () => void watch.settledCalls++,
    later: (task) => deferred.push(task),
  };
  return { watch, runLater: () => deferred.splice(0).forEach((task) => task()) };
}

describe('BrowserPeerConnections: a spare while a call rings', () => {
  it('makes one spare after the ringing frame, and the SDK’s next peer connection is that spare', () => {
    const { connections, Sdk, runScheduled } = setup();
    connections.warm();
    connections.warm();
    expect(FakePeerConnection.made).toHaveLength(0); // not in the ringing panel's frame
    runScheduled();
    expect(FakePeerConnection.made).toHaveLength(1);
    const spare = FakePeerConnection.made[0]!;
    const pc = new Sdk();
    expect(pc).toBe(spare);
    expect(pc).toBeInstanceOf(FakePeerConnection);
    expect(pc).toBeInstanceOf(Sdk);
    expect(connections.warmed).toBe(false);
    // The spare is used once: the next one is new.
    expect(new Sdk()).not.toBe(spare);
  });

  it('a peer connection asked for with a configuration is a new one made with it; the spare stays', () => {
    const { connections, Sdk, runScheduled } = setup();
    connections.warm();
    runScheduled();
    const configuration = { iceServers: [{ urls: 'stun:127.0.0.1:3478' }] };
    const pc = new Sdk(configuration);
    expect(pc).not.toBe(FakePeerConnection.made[0]);
    expect(pc.configuration).toBe(configuration);
    expect(connections.warmed).toBe(true);
  });

  it('the ring ending unanswered closes the spare; released before its frame, none is made', () => {
    const { connections, runScheduled } = setup();
    connections.warm();
    runScheduled();
    const spare = FakePeerConnection.made[0]!;
    connections.release();
    expect(spare.signalingState).toBe('closed');
    expect(connections.warmed).toBe(false);
    connections.warm();
    connections.release();
    runScheduled();
    expect(FakePeerConnection.made).toHaveLength(1);
  });

  it('a spare that failed to be made is logged, and the SDK makes its own', () => {
    FakePeerConnection.made = [];
    const scheduled: Array<() => void> = [];
    const log = vi.fn();
    let fail = true;
    const Failing = class extends FakePeerConnection {
      constructor(configuration?: RTCConfiguration) {
        if (fail) throw new Error('too many peer connections');
        super(configuration);
      }
    };
    const connections = new BrowserPeerConnections(Failing as unknown as PeerConnectionClass, log, (task) => scheduled.push(task));
    connections.warm();
    scheduled.splice(0).forEach((task) => task());
    expect(log).toHaveBeenCalledWith('Could not prepare a peer connection while ringing', expect.any(Error));
    fail = false;
    const Sdk = connections.peerConnectionClass as unknown as new () => FakePeerConnection;
    expect(new Sdk()).toBeInstanceOf(FakePeerConnection);
  });

  it('keeps the browser class’s static methods', () => {
    const { Sdk } = setup();
    expect((Sdk as unknown as typeof FakePeerConnection).generateCertificate()).toBe('certificate');
  });
});

describe('BrowserPeerConnections: the answering peer connection', () => {
  it('tells the watch once when ICE connects; states before that are not the end', () => {
    const { connections, Sdk } = setup();
    const { watch } = recordingWatch();
    connections.watchNext(watch);
    const pc = new Sdk();
    pc.ice('checking');
    expect(watch.settledCalls).toBe(0);
    pc.ice('connected');
    pc.ice('completed');
    expect(watch.settledCalls).toBe(1);
  });

  it('a failed ICE settles it too; only the next peer connection is watched, and a cancel drops the watch', () => {
    const { connections, Sdk } = setup();
    const first = recordingWatch().watch;
    connections.watchNext(first);
    const pc = new Sdk();
    const later = new Sdk();
    later.ice('connected');
    expect(first.settledCalls).toBe(0);
    pc.ice('failed');
    expect(first.settledCalls).toBe(1);

    const second = recordingWatch().watch;
    connections.watchNext(second)();
    new Sdk().ice('connected');
    expect(second.settledCalls).toBe(0);
  });

  it('the SDK’s ontrack handler runs when the window lets it, with the event and the peer connection', () => {
    const { connections, Sdk } = setup();
    const { watch, runLater } = recordingWatch();
    connections.watchNext(watch);
    const pc = new Sdk();
    const handler = vi.fn(function (this: unknown, event: Event) {
      return [this, event];
    });
    pc.ontrack = handler;
    expect(pc.ontrack).toBe(handler);
    const event = new Event('track');
    pc.dispatchEvent(event);
    expect(handler).not.toHaveBeenCalled();
    runLater();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.results[0]!.value).toEqual([pc, event]);
  });

  it('a peer connection made with no answer being watched keeps its ontrack as the browser has it', () => {
    const { Sdk } = setup();
    const pc = new Sdk();
    const handler = vi.fn();
    pc.ontrack = handler;
    expect(Object.getOwnPropertyDescriptor(pc, 'ontrack')?.get).toBeUndefined();
  });
});
