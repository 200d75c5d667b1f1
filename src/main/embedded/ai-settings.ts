import { ConfigError, aiSettingsFromEnv, type CloudConfig } from '../../cloud/config';
import type { Notice } from '../../shared/ipc';

/**
 * The embedded cloud's AI service, from the environment as a practice sets it for a server
 * (AI_BASE_URL, AI_MODEL, AI_API_KEY, AI_TIMEOUT_MS, AI_BRAIN; unset = the offline scripted agents).
 * A server refuses to start on an invalid value; the desktop must still ring, so it starts without
 * the AI service and says which variable is wrong in a notice.
 */
export function embeddedAiSettings(env: Readonly<Record<string, string | undefined>>): { ai: CloudConfig['ai']; notice: Notice | null } {
  try {
    return { ai: aiSettingsFromEnv(env, 'scripted'), notice: null };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.message.split('\n').slice(1).map((line) => line.replace(/^\s*-\s*/, '')).join('; ');
    return {
      ai: aiSettingsFromEnv({}, 'scripted'),
      notice: {
        id: 'ai-settings-invalid',
        level: 'error',
        message: `The AI service settings are not valid (${problems}). AI agents use the offline scripted agent and Write with AI is off until they are fixed and the app is restarted.`,
      },
    };
  }
}
