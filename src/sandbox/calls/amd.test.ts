import { describe, expect, it } from 'vitest';
import { amdFormSchema, amdFromForm, amdFromNounAttrs, detectAnsweredBy, machineDetectionDuration, type AmdConfig } from './amd';
import { partyBehaviourSchema, type PartyBehaviourInput } from './behaviour';

const defaults = { timeoutMs: 30_000, speechThresholdMs: 2400, speechEndThresholdMs: 1200, silenceTimeoutMs: 5000 };
const enable: Pick<AmdConfig, 'mode'> & typeof defaults = { mode: 'Enable', ...defaults };
const messageEnd: Pick<AmdConfig, 'mode'> & typeof defaults = { mode: 'DetectMessageEnd', ...defaults };
const callee = (b: PartyBehaviourInput) => partyBehaviourSchema.parse(b);

describe('detectAnsweredBy (Twilio measuring sticks on the scripted callee)', () => {
  it.each([
    ['a person saying "Hello?"', { helloMs: 800 }, enable, 'human', 800 + 1200],
    ['a person, DetectMessageEnd', { helloMs: 800 }, messageEnd, 'human', 2000],
    ['a silent pickup', { helloMs: 0 }, enable, 'unknown', 5000],
    ['a person with a long greeting', { helloMs: 4000 }, enable, 'machine_start', 2400],
    ['a person with a long greeting, DetectMessageEnd', { helloMs: 4000 }, messageEnd, 'machine_end_silence', 4000 + 1200],
    ['voicemail', { answer: 'voicemail', greetingMs: 6000 }, enable, 'machine_start', 2400],
    ['voicemail with a beep', { answer: 'voicemail', greetingMs: 6000 }, messageEnd, 'machine_end_beep', 6500],
    ['voicemail ending in silence', { answer: 'voicemail', greetingMs: 6000, beep: false }, messageEnd, 'machine_end_silence', 7200],
    ['voicemail whose greeting outlasts the timeout', { answer: 'voicemail', greetingMs: 40_000 }, messageEnd, 'machine_end_other', 30_000],
    ['voicemail with a very short greeting (fools it, as on Twilio)', { answer: 'voicemail', greetingMs: 1500 }, messageEnd, 'human', 2700],
    ['a fax machine', { answer: 'fax' }, enable, 'fax', 1000],
    ['a forced verdict', { answeredBy: 'machine_end_other', answeredByAfterMs: 42 }, enable, 'machine_end_other', 42],
  ] as const)('%s → %s', (_name, behaviour, config, answeredBy, ms) => {
    const verdict = detectAnsweredBy(callee(behaviour), config);
    expect(verdict.answeredBy).toBe(answeredBy);
    expect(machineDetectionDuration(verdict)).toBe(ms);
  });

  it('a person who takes longer than the timeout to be recognised is unknown, at the timeout', () => {
    const v = detectAnsweredBy(callee({ helloMs: 2000 }), { ...enable, timeoutMs: 3000 });
    expect(v.answeredBy).toBe('unknown');
    expect(machineDetectionDuration(v)).toBe(3000);
  });

  it('tuning: a lower speech threshold turns a 1.5 s greeting into a machine', () => {
    expect(detectAnsweredBy(callee({ answer: 'voicemail', greetingMs: 1500 }), { ...messageEnd, speechThresholdMs: 1000 }).answeredBy).toBe('machine_end_beep');
  });
});

describe('AMD parameters', () => {
  it('reads the Calls API form, validating Twilio ranges', () => {
    const form = amdFormSchema.parse({ MachineDetection: 'DetectMessageEnd', MachineDetectionTimeout: '10', AsyncAmd: 'true', AsyncAmdStatusCallback: 'http://127.0.0.1/amd', AsyncAmdStatusCallbackMethod: 'get' });
    expect(amdFromForm(form)).toEqual({ mode: 'DetectMessageEnd', timeoutMs: 10_000, speechThresholdMs: 2400, speechEndThresholdMs: 1200, silenceTimeoutMs: 5000, async: true, callback: { url: 'http://127.0.0.1/amd', method: 'GET' } });
    expect(amdFromForm(amdFormSchema.parse({}))).toBeNull();
    expect(amdFormSchema.safeParse({ MachineDetection: 'Yes' }).success).toBe(false);
    expect(amdFormSchema.safeParse({ MachineDetection: 'Enable', MachineDetectionSpeechThreshold: '500' }).success).toBe(false);
  });

  it('reads <Number> attributes; the verdict is always asynchronous there', () => {
    const c = amdFromNounAttrs({ machineDetection: 'Enable', amdStatusCallback: '/amd', machineDetectionTimeout: '999' }, (u) => `http://127.0.0.1:1${u}`);
    expect(c).toMatchObject({ mode: 'Enable', async: true, timeoutMs: 30_000, callback: { url: 'http://127.0.0.1:1/amd', method: 'POST' } });
    expect(amdFromNounAttrs({}, (u) => u)).toBeNull();
  });
});
