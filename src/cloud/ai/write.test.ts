import { describe, expect, it } from 'vitest';
import { keepOfferedMergeFields } from '../../shared/cloud/ai-write';
import { writerClient } from './write';

describe('Write with AI', () => {
  it('has a client only when an OpenAI-compatible endpoint is configured', () => {
    expect(writerClient({ brain: 'none', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } as never)).toBeNull();
    expect(writerClient({ brain: 'scripted' } as never)).toBeNull();
    expect(writerClient({ brain: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } as never)?.model).toBe('m');
  });

  it('keeps only the offered merge fields and tidies the gaps it leaves', () => {
    expect(keepOfferedMergeFields('Hi {{ contact.first_name }}, your {{appointment.start_time}} visit!', ['contact.first_name'])).toEqual({
      text: 'Hi {{contact.first_name}}, your visit!',
      removed: ['appointment.start_time'],
    });
    expect(keepOfferedMergeFields('Hi {{x.y}} {{x.y}}.', [])).toEqual({ text: 'Hi.', removed: ['x.y'] });
    expect(keepOfferedMergeFields('Plain text  stays  as written', [])).toEqual({ text: 'Plain text  stays  as written', removed: [] });
  });
});
