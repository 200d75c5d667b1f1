import { describe, expect, it } from 'vitest';
import { checkCloudAddress } from '../cloud-client/cloud-address';
import { resolveCloudTarget } from '../cloud-client/cloud-target';
import { createMemoryVault } from '../session/credential-vault';
import { SessionService } from '../session/session-service';
import { changeCloudAddress } from './cloud-change';

/** Issue #10 item 6: the page cannot repoint the app at another cloud; main checks, asks, and never hands over a session. */
describe('changing the cloud address', () => {
  const settingsWith = (cloudUrl: string | null) => {
    const saved: (string | null)[] = [];
    return { saved, settings: { get: () => ({ cloudUrl }) as never, setCloudUrl: (url: string | null) => void saved.push(url) as never } };
  };

  it('accepts https anywhere and http only to this computer', () => {
    expect(checkCloudAddress('https://api.glowmedspa.example/v1')).toEqual({ ok: true, origin: 'https://api.glowmedspa.example' });
    expect(checkCloudAddress('http://127.0.0.1:4000')).toEqual({ ok: true, origin: 'http://127.0.0.1:4000' });
    expect(checkCloudAddress('http://localhost:4000').ok).toBe(true);
    expect(checkCloudAddress('http://[::1]:4000').ok).toBe(true);
    expect(checkCloudAddress('http://evil.example')).toMatchObject({ ok: false, reason: /Only https/ });
    expect(checkCloudAddress('http://127.0.0.1.evil.example')).toMatchObject({ ok: false });
    expect(checkCloudAddress('https://user:pw@api.example')).toMatchObject({ ok: false });
    expect(checkCloudAddress('file:///etc/passwd')).toMatchObject({ ok: false });
    expect(() => resolveCloudTarget({ AESTHETIX_CLOUD_URL: 'http://cloud.example' })).toThrow(/Only https/);
  });

  it('changes only after main’s own confirmation naming the new host', async () => {
    const { saved, settings } = settingsWith('https://old.example');
    const questions: string[] = [];
    const no = await changeCloudAddress({ settings, confirm: async (q) => (questions.push(q.message), false), running: 'old.example' }, 'https://new.example/x');
    expect(no.outcome).toBe('cancelled');
    expect(saved).toEqual([]);
    const yes = await changeCloudAddress({ settings, confirm: async () => true, running: 'old.example' }, 'https://new.example/x');
    expect(yes).toEqual({ outcome: 'changed', message: 'Restart the app to connect to new.example.' });
    expect(saved).toEqual(['https://new.example']);
    expect(questions).toEqual(['Connect this phone to new.example?']);
  });

  it('refuses cleartext and hosts that cannot ask, without saving anything', async () => {
    const { saved, settings } = settingsWith(null);
    let asked = false;
    const confirm = async () => (asked = true);
    expect((await changeCloudAddress({ settings, confirm, running: 'demo' }, 'http://cloud.example')).outcome).toBe('refused');
    expect((await changeCloudAddress({ settings, confirm: undefined, running: 'demo' }, 'https://cloud.example')).outcome).toBe('unavailable');
    expect(asked).toBe(false);
    expect(saved).toEqual([]);
  });

  it('never sends the refresh token kept for one cloud to another', async () => {
    const vault = createMemoryVault();
    await vault.set('session:https://old.example', JSON.stringify({ refreshToken: 'rt-old', sessionId: 's1', email: 'a@b.example' }));
    const sent: string[] = [];
    const cloud = { baseUrl: 'https://new.example', refresh: async (token: string) => (sent.push(token), Promise.reject(new Error('no'))) } as never;
    const session = new SessionService({ cloud, vault, clock: { now: () => 0 } as never, deviceName: 'test' });
    expect(await session.restore()).toBe(false);
    expect(sent).toEqual([]);
  });
});
