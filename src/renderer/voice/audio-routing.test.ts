import { describe, expect, it } from 'vitest';
import type { AudioDevicesView } from './audio-devices';
import { AudioRouting } from './audio-routing';
import { FakeAudio } from './testing/fake-sdk';

function rig(audio: FakeAudio | null) {
  const views: AudioDevicesView[] = [];
  const routing = new AudioRouting({ audio: () => audio, onChange: (v) => views.push(v) });
  return { routing, views };
}

describe('AudioRouting', () => {
  it('keeps choices made before there is a Device, and applies them to the next one', async () => {
    const early = rig(null);
    await early.routing.setMicrophone('headset-mic');
    await early.routing.setRingers(['desk', 'headset']);
    expect(early.routing.preferences).toEqual({ microphone: 'headset-mic', speakers: [], ringers: ['desk', 'headset'] });
    await expect(early.routing.testRinger()).rejects.toMatchObject({ code: 'not-available' });
    const audio = new FakeAudio();
    await early.routing.applyTo(audio);
    expect(audio.inputDevice?.deviceId).toBe('headset-mic');
    expect([...audio.ringtoneDevices.get()].map((d) => d.deviceId)).toEqual(['desk', 'headset']);
  });

  it('an output that is gone falls back to the default, never silence', async () => {
    const audio = new FakeAudio();
    const r = rig(audio);
    await r.routing.setSpeakers(['unplugged']);
    expect([...audio.speakerDevices.get()].map((d) => d.deviceId)).toEqual(['default']);
    expect(r.views.at(-1)?.speakers).toEqual(['default']);
  });

  it('plays the local ringtone on the ringers for a test', async () => {
    const audio = new FakeAudio();
    await rig(audio).routing.testRinger();
    expect(audio.ringtoneDevices.tested).toEqual(['/sounds/incoming.wav']);
  });

  it('hands back a microphone the SDK selected by itself, but never one the receptionist chose', async () => {
    const audio = new FakeAudio();
    const r = rig(audio);
    await audio.setInputDevice('default'); // what the SDK does after a device change during a call
    await r.routing.releaseSdkSelection();
    expect(audio.inputDevice).toBeNull();
    expect(r.views.at(-1)?.microphone).toBeNull();
    await r.routing.setMicrophone('headset-mic');
    await r.routing.releaseSdkSelection();
    expect(audio.inputDevice?.deviceId).toBe('headset-mic');
  });
});
