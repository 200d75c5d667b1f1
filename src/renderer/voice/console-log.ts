/** The voice code's default diagnostics sink (a `VoiceLog`): a console warning tagged [voice]. */
export function consoleVoiceLog(message: string, detail?: unknown): void {
  console.warn(`[voice] ${message}`, detail ?? '');
}
