/** Which part of the embedded default was starting when it failed (what the receptionist is told depends on it). */
export type EmbeddedStartStage = 'load' | 'database' | 'sandbox' | 'mail' | 'cloud' | 'files';

/**
 * The embedded default could not start. Carries the stage and the data folder, so the host can say
 * plainly what is wrong and where (hosts/start-failure.ts); the original error is its `cause`.
 * Plain module on purpose: the hosts import it without loading the cloud or the sandbox.
 */
export class EmbeddedStartError extends Error {
  constructor(
    readonly stage: EmbeddedStartStage,
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(`The embedded cloud could not start (${stage}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EmbeddedStartError';
  }
}
