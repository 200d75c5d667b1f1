import { describe, expect, it } from 'vitest';
import { embeddedAiSettings } from './ai-settings';

describe('the embedded default’s AI service', () => {
  it('is the scripted agent when unset, and the practice’s endpoint when AI_BASE_URL and AI_MODEL are set', () => {
    expect(embeddedAiSettings({})).toEqual({ ai: { brain: 'scripted', timeoutMs: 20_000 }, notice: null });
    expect(embeddedAiSettings({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_MODEL: 'local', AI_API_KEY: 'sk-local' })).toEqual({
      ai: { brain: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'local', apiKey: 'sk-local', timeoutMs: 20_000 },
      notice: null,
    });
  });

  it('starts without it on an invalid value and names the variable in a notice, never the key', () => {
    const { ai, notice } = embeddedAiSettings({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_API_KEY: 'sk-secret-value' });
    expect(ai).toEqual({ brain: 'scripted', timeoutMs: 20_000 });
    expect(notice).toMatchObject({ id: 'ai-settings-invalid', level: 'error' });
    expect(notice!.message).toMatch(/^The AI service settings are not valid \(AI_BASE_URL \(ai.baseUrl\): the openai brain needs AI_BASE_URL and AI_MODEL\)\. .*Write with AI is off/);
    expect(notice!.message).not.toContain('sk-secret-value');
    expect(embeddedAiSettings({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_MODEL: 'm', AI_TIMEOUT_MS: 'soon' }).notice!.message).toContain('AI_TIMEOUT_MS');
  });
});
