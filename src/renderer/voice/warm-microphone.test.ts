import { describe, expect, it } from 'vitest';
import { deferred, settle, type Deferred } from './testing/deferred';
import { BrowserMicrophoneWarmer } from './warm-microphone';

type FakeStream = MediaStream & { stopped: () => boolean; clones: FakeStream[] };

/** A stream whose tracks record being stopped; its clones have tracks of their own. */
function fakeStream(): FakeStream {
  const track = { kind: 'audio', readyState: 'live', stop() { this.readyState = 'ended'; } };
  const clones: FakeStream[] = [];
  return {
    getTracks: () => [track],
    getAudioTracks: () => [track],
    stopped: () => track.readyState === 'ended',
    clones,
    clone: () => {
      const copy = fakeStream();
      clones.push(copy);
      return copy;
    },
  } as unknown as FakeStream;
}

function rig() {
  const requests: Array<{ constraints: MediaStreamConstraints; answer: Deferred<MediaStream> }> = [];
  const logs: string[] = [];
  const scheduled: Array<() => void> = [];
  const media = {
    getUserMedia: (constraints: MediaStreamConstraints) => {
      const answer = deferred<MediaStream>();
      requests.push({ constraints, answer });
      return answer.promise;
    },
  };
  const warmer = new BrowserMicrophoneWarmer(media as MediaDevices, (m) => logs.push(m), (task) => scheduled.push(task));
  const paint = () => scheduled.splice(0).forEach((task) => task());
  return { warmer, requests, logs, paint };
}

describe('BrowserMicrophoneWarmer', () => {
  it('asks for the default microphone after the next paint, once however often it is warmed, and stops it on release', async () => {
    const { warmer, requests, paint } = rig();
    warmer.warm();
    warmer.warm();
    expect(requests).toHaveLength(0); // the ringing panel is painted first
    paint();
    expect(requests).toEqual([{ constraints: { audio: true }, answer: expect.anything() }]);
    const stream = fakeStream();
    requests[0]!.answer.resolve(stream);
    await settle();
    expect(warmer.open).toBe(true);
    warmer.warm();
    paint();
    expect(requests).toHaveLength(1);
    warmer.release();
    expect(warmer.open).toBe(false);
    expect(stream.stopped()).toBe(true);
  });

  it('released before the paint: never asks', () => {
    const { warmer, requests, paint } = rig();
    warmer.warm();
    warmer.release();
    paint();
    expect(requests).toHaveLength(0);
  });

  it('released while the request is on its way: the stream that comes is stopped at once', async () => {
    const { warmer, requests, paint } = rig();
    warmer.warm();
    paint();
    warmer.release();
    const stream = fakeStream();
    requests[0]!.answer.resolve(stream);
    await settle();
    expect(warmer.open).toBe(false);
    expect(stream.stopped()).toBe(true);
  });

  it('denied or missing: logged, nothing held, and the next ring asks again', async () => {
    const { warmer, requests, logs, paint } = rig();
    warmer.warm();
    paint();
    requests[0]!.answer.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' }));
    await settle();
    expect(warmer.open).toBe(false);
    expect(logs).toEqual(['Could not open the microphone while ringing']);
    warmer.release();
    warmer.warm();
    paint();
    expect(requests).toHaveLength(2);
  });

  describe('getUserMedia (what the SDK opens its microphones with)', () => {
    async function opened() {
      const r = rig();
      r.warmer.warm();
      r.paint();
      const stream = fakeStream();
      r.requests[0]!.answer.resolve(stream);
      await settle();
      return { ...r, stream };
    }

    it('the default microphone while ours is open: a clone of it at once, which outlives our release', async () => {
      const { warmer, requests, stream } = await opened();
      const given = (await warmer.getUserMedia({ audio: true })) as FakeStream;
      expect(requests).toHaveLength(1); // no second request to the browser
      expect(stream.clones).toEqual([given]);
      warmer.release();
      expect(stream.stopped()).toBe(true);
      expect(given.stopped()).toBe(false); // the call's own track stays live
    });

    it('a chosen device (constraints) is the browser’s own request, even while ours is open', async () => {
      const { warmer, requests, stream } = await opened();
      const pending = warmer.getUserMedia({ audio: { deviceId: { exact: 'headset-mic' } } });
      expect(requests).toHaveLength(2);
      expect(requests[1]!.constraints).toEqual({ audio: { deviceId: { exact: 'headset-mic' } } });
      const own = fakeStream();
      requests[1]!.answer.resolve(own);
      expect(await pending).toBe(own);
      expect(stream.clones).toEqual([]);
    });

    it('not open, or its device gone (track ended): the browser’s own request', async () => {
      const closed = rig();
      void closed.warmer.getUserMedia({ audio: true });
      expect(closed.requests.map((q) => q.constraints)).toEqual([{ audio: true }]);

      const { warmer, requests, stream } = await opened();
      stream.getTracks()[0]!.stop(); // unplugged: ended without our release
      void warmer.getUserMedia({ audio: true });
      expect(requests).toHaveLength(2);
      expect(stream.clones).toEqual([]);
    });
  });
});
