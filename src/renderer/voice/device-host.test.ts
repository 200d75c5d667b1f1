import { describe, expect, it } from 'vitest';
import { DeviceHost, deviceOptions, type DeviceHostEvents } from './device-host';
import { settle } from './testing/deferred';
import { fakeDeviceFactory } from './testing/fake-sdk';

function rig() {
  const factory = fakeDeviceFactory();
  const seen: string[] = [];
  const events: DeviceHostEvents = {
    evidence: () => seen.push('evidence'),
    registered: () => seen.push('registered'),
    registrationLost: () => seen.push('lost'),
    error: (error, call) => seen.push(`error ${error.code}${call ? ' with call' : ''}`),
    incoming: () => seen.push('incoming'),
    tokenWillExpire: () => seen.push('tokenWillExpire'),
    audioDevicesChanged: () => seen.push('deviceChange'),
  };
  const logs: string[] = [];
  const host = new DeviceHost(factory.create, events, (m) => logs.push(m));
  const options = deviceOptions({ edge: 'sandbox', chunderw: '127.0.0.1:4443', eventgw: null });
  /** Creates a Device through the host; the fake behind it, for the test to drive. */
  const create = (token = 'jwt') => {
    host.create(token, options);
    return factory.devices.at(-1)!;
  };
  return { factory, host, seen, logs, create };
}

describe('deviceOptions', () => {
  it('names the sandbox edge only when main gives one, and always uses local sounds', () => {
    expect(deviceOptions({ edge: 'twilio', chunderw: null, eventgw: null }, '/s/')).not.toHaveProperty('chunderw');
    const options = deviceOptions({ edge: 'sandbox', chunderw: 'h:1', eventgw: 'h:2' }, '/s/');
    expect(options).toMatchObject({ chunderw: 'h:1', eventgw: 'h:2', allowIncomingWhileBusy: true, closeProtection: false });
    expect(options.sounds.incoming).toBe('/s/incoming.wav');
  });
});

describe('DeviceHost', () => {
  it('passes the current Device’s events on, each with evidence of life', async () => {
    const r = rig();
    const device = r.create();
    await device.register();
    device.invite({ CallSid: 'CA1', From: '+1', To: 'client:me' });
    device.deviceError({ code: 31005, message: 'x' });
    device.audio.emit('deviceChange');
    device.loseRegistration();
    expect(r.seen).toEqual(['evidence', 'registered', 'evidence', 'incoming', 'evidence', 'error 31005', 'deviceChange', 'evidence', 'lost']);
  });

  it('drops everything from a destroyed Device', () => {
    const r = rig();
    const old = r.create();
    r.host.destroy();
    expect(old.destroyed).toBe(true);
    expect(r.host.current).toBeNull();
    old.invite({ CallSid: 'CA1', From: '+1', To: 'client:me' });
    old.emit('registered');
    old.audio.emit('deviceChange');
    expect(r.seen).toEqual([]);
  });

  it('a probe unregisters and registers again without reporting a lost registration', async () => {
    const r = rig();
    const device = r.create();
    await device.register();
    r.seen.length = 0;
    await r.host.probe();
    expect(device.unregisterCalls).toBe(1);
    expect(device.registerCalls).toBe(2);
    expect(r.seen).not.toContain('lost');
    expect(r.seen).toContain('registered');
  });

  it('a probe fails plainly without a Device or when the Device is replaced meanwhile', async () => {
    const r = rig();
    await expect(r.host.probe()).rejects.toThrow('No device');
    const device = r.create();
    await device.register();
    const probing = r.host.probe();
    r.host.destroy();
    r.create('jwt-2');
    await settle();
    await expect(probing).rejects.toThrow('The device was replaced');
  });

  it('hands a token to a live Device only, and logs a refusal', () => {
    const r = rig();
    r.host.updateToken('none yet');
    const device = r.create();
    r.host.updateToken('jwt-2');
    expect(device.tokens).toEqual(['jwt-2']);
    device.updateToken = () => {
      throw new Error('bad');
    };
    r.host.updateToken('jwt-3');
    expect(r.logs).toEqual(['updateToken failed']);
  });
});
