export type VoiceErrorCode = 'offline' | 'busy' | 'no-such-call' | 'wrong-state' | 'not-available' | 'invalid-input' | 'failed';

/** A refusal the UI can show as it is. */
export class VoiceError extends Error {
  constructor(
    readonly code: VoiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceError';
  }
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
