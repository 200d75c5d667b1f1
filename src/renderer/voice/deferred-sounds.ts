/**
 * A sound as the SDK's Device uses it (SDK 2.18.5, lib/twilio/sound.ts): made with (name, url,
 * options) for each of its 15 sounds in the Device's constructor, then played, stopped and routed
 * to output devices. Nothing else of it is read outside the SDK's Sound itself.
 */
export interface SdkSound {
  play(): Promise<unknown>;
  stop(): void;
  setSinkIds(ids: string | string[]): void;
}

export type SdkSoundClass = new (name: string, url: string, options: unknown) => SdkSound;

export interface DeferredSounds {
  /** Given to the Device as its `Sound` option. */
  readonly Sound: SdkSoundClass;
  /** Makes every sound of this Device not made yet (once "Ready for calls" is on screen). */
  loadAll(): void;
}

/**
 * The SDK's Sound starts fetching and decoding its file, and plays it muted, the moment it is made:
 * 15 requests and decodes inside `new Device()`, 20–60 ms of the page's main thread between the
 * token's arrival and the register, and 15 requests to the host just as the page connects to the
 * signalling edge (issue #21, the cold start's page profile). These stand-ins make the real one
 * when it is first played, or when `loadAll` is called, whichever comes first; the output devices
 * chosen meanwhile are handed on.
 */
export function deferredSounds(RealSound: SdkSoundClass): DeferredSounds {
  const waiting = new Set<DeferredSound>();

  class DeferredSound implements SdkSound {
    private real: SdkSound | null = null;
    private sinkIds: string | string[] | null = null;

    constructor(
      readonly name: string,
      readonly url: string,
      private readonly options: unknown,
    ) {
      waiting.add(this);
    }

    load(): SdkSound {
      if (this.real) return this.real;
      waiting.delete(this);
      const real = new RealSound(this.name, this.url, this.options);
      if (this.sinkIds !== null) real.setSinkIds(this.sinkIds);
      this.real = real;
      return real;
    }

    play(): Promise<unknown> {
      return this.load().play();
    }

    /** A sound never made was never playing. */
    stop(): void {
      this.real?.stop();
    }

    setSinkIds(ids: string | string[]): void {
      this.sinkIds = ids;
      this.real?.setSinkIds(ids);
    }
  }

  return {
    Sound: DeferredSound,
    loadAll: () => {
      for (const sound of [...waiting]) sound.load();
    },
  };
}
