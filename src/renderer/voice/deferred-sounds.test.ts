import { describe, expect, it } from 'vitest';
import { deferredSounds, type SdkSound } from './deferred-sounds';

/** The SDK's Sound, as far as these stand-ins use it: what was made, played, stopped and routed. */
function fakeRealSound() {
  const made: FakeSound[] = [];
  class FakeSound implements SdkSound {
    readonly log: string[] = [];
    constructor(
      readonly name: string,
      readonly url: string,
      readonly options: unknown,
    ) {
      made.push(this);
    }
    play(): Promise<unknown> {
      this.log.push('play');
      return Promise.resolve('played');
    }
    stop(): void {
      this.log.push('stop');
    }
    setSinkIds(ids: string | string[]): void {
      this.log.push(`sinks ${String(ids)}`);
    }
  }
  return { FakeSound, made };
}

describe('deferred SDK sounds', () => {
  it('makes nothing when the Device makes its sounds; loadAll makes each once, with its name, file and options', () => {
    const { FakeSound, made } = fakeRealSound();
    const sounds = deferredSounds(FakeSound);
    new sounds.Sound('incoming', '/sounds/incoming.wav', { shouldLoop: true });
    new sounds.Sound('dtmf1', '/sounds/dtmf1.wav', { maxDuration: 0 });
    expect(made).toHaveLength(0);
    sounds.loadAll();
    expect(made.map((s) => [s.name, s.url, s.options])).toEqual([
      ['incoming', '/sounds/incoming.wav', { shouldLoop: true }],
      ['dtmf1', '/sounds/dtmf1.wav', { maxDuration: 0 }],
    ]);
    sounds.loadAll();
    expect(made).toHaveLength(2);
  });

  it('a sound played before loadAll is made then and plays; loadAll does not make it again', async () => {
    const { FakeSound, made } = fakeRealSound();
    const sounds = deferredSounds(FakeSound);
    const ring = new sounds.Sound('incoming', '/sounds/incoming.wav', {});
    await expect(ring.play()).resolves.toBe('played');
    expect(made).toHaveLength(1);
    expect(made[0]!.log).toEqual(['play']);
    sounds.loadAll();
    expect(made).toHaveLength(1);
  });

  it('stopping a sound never made makes nothing; a made one is stopped', () => {
    const { FakeSound, made } = fakeRealSound();
    const sounds = deferredSounds(FakeSound);
    const ring = new sounds.Sound('incoming', '/sounds/incoming.wav', {});
    ring.stop();
    expect(made).toHaveLength(0);
    sounds.loadAll();
    ring.stop();
    expect(made[0]!.log).toEqual(['stop']);
  });

  it('output devices chosen before the sound is made are handed to it when made; later ones at once', () => {
    const { FakeSound, made } = fakeRealSound();
    const sounds = deferredSounds(FakeSound);
    const ring = new sounds.Sound('incoming', '/sounds/incoming.wav', {});
    ring.setSinkIds(['ringer-a', 'ringer-b']);
    ring.setSinkIds(['ringer-b']);
    sounds.loadAll();
    expect(made[0]!.log).toEqual(['sinks ringer-b']);
    ring.setSinkIds('default');
    expect(made[0]!.log).toEqual(['sinks ringer-b', 'sinks default']);
  });

  it('each Device has its own set: loading one does not make the other’s', () => {
    const { FakeSound, made } = fakeRealSound();
    const first = deferredSounds(FakeSound);
    const second = deferredSounds(FakeSound);
    new first.Sound('incoming', '/a.wav', {});
    new second.Sound('incoming', '/b.wav', {});
    second.loadAll();
    expect(made.map((s) => s.url)).toEqual(['/b.wav']);
  });
});
