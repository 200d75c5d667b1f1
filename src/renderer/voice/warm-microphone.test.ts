import { describe, expect, it } from 'vitest';
import { deferred, settle, type Deferred } from './testing/deferred';
import { BrowserMicrophoneWarmer } from './warm-microphone';

/** A stream whose tracks record being stopped. */
function fakeStream(): MediaStream & { stopped: () => boolean } {
  const track = { readyState: 'live', stop() { this.readyState = 'ended'; } };
  return { getTracks: () => [track], stopped: () => track.readyState === 'ended' } as unknown as MediaStream & { stopped: () => boolean };
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
});
