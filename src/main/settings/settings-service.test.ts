import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, SETTINGS_VERSION, settingsPatchSchema, settingsSchema } from '../../shared/settings';
import { createRendererEvents } from '../ipc/renderer-events';
import { NoticeBoard } from '../ipc/notice-board';
import Conf from 'conf';
import { createSettingsFile, type JsonStoreClass } from './settings-file';
import { SettingsService } from './settings-service';
import { upgradeSettings } from './upgrades';

let dir: string;
let notices: NoticeBoard;
const file = () => join(dir, 'settings.json');
const service = () => new SettingsService(createSettingsFile(dir, Conf as unknown as JsonStoreClass), notices);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-'));
  notices = new NoticeBoard(createRendererEvents());
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('settings upgrades', () => {
  it('carries a v0 file forward step by step', () => {
    const upgraded = upgradeSettings({ cloudApiUrl: 'https://api.example', answerHotkey: 'F8', ringerDeviceId: 'usb-1' });
    expect(upgraded).toMatchObject({
      version: SETTINGS_VERSION,
      cloudUrl: 'https://api.example',
      hotkeys: { answer: 'F8', dispositionModifier: 'CommandOrControl+Alt' },
      audio: { ringerDeviceIds: ['usb-1'] },
      notifications: { sound: true },
    });
  });
  it('upgrades v1 (one ringer) to v2 (several)', () => {
    const v1 = { ...defaultSettings(), version: 1, audio: { inputDeviceId: null, outputDeviceId: 'spk', ringerDeviceId: '' } };
    expect(upgradeSettings(v1)).toMatchObject({ version: SETTINGS_VERSION, audio: { outputDeviceId: 'spk', ringerDeviceIds: [] } });
  });
  it('upgrades v2 to v3: the task hotkeys get their defaults, the others stay as chosen', () => {
    const { nextTask: _n, skipTask: _s, completeTask: _c, ...v2Hotkeys } = { ...defaultSettings().hotkeys, answer: 'F8' };
    const upgraded = upgradeSettings({ ...defaultSettings(), version: 2, hotkeys: v2Hotkeys });
    expect(settingsSchema.parse(upgraded).hotkeys).toEqual({ ...defaultSettings().hotkeys, answer: 'F8' });
  });
});

describe('SettingsService on a real file', () => {
  it('writes defaults on first start and reads them back', async () => {
    expect(service().load()).toEqual(defaultSettings());
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual(defaultSettings());
    expect(service().load()).toEqual(defaultSettings());
    expect(notices.list()).toEqual([]);
  });

  it('upgrades an old file on disk and persists the upgrade', async () => {
    await writeFile(file(), JSON.stringify({ cloudApiUrl: '', answerHotkey: 'F9' }));
    expect(service().load().hotkeys.answer).toBe('F9');
    expect(JSON.parse(await readFile(file(), 'utf8')).version).toBe(SETTINGS_VERSION);
  });

  it.each([
    ['corrupt JSON', '{"version": 2, "cloudUrl": '],
    ['an invalid value', JSON.stringify({ ...defaultSettings(), ringtone: 'air-horn' })],
    ['a file from a newer version', JSON.stringify({ ...defaultSettings(), version: 99 })],
    ['not an object', '[1,2,3]'],
  ])('recovers from %s with defaults, keeps the old file, and says so', async (_label, content) => {
    await writeFile(file(), content);
    expect(service().load()).toEqual(defaultSettings());
    const kept = (await readdir(dir)).filter((name) => name.startsWith('settings.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(dir, kept[0]!), 'utf8')).toBe(content);
    expect(notices.list()).toEqual([expect.objectContaining({ id: 'settings-recovered', level: 'warning' })]);
  });

  it('restores a damaged file from the last good copy, cloud address included, and says so', async () => {
    const first = service();
    first.load();
    first.setCloudUrl('https://cloud.glowmedspa.example');
    first.update({ ringtone: 'soft' });
    await writeFile(file(), '{"version": 2, "cloudUrl": "https://clo');
    const second = service();
    expect(second.load()).toMatchObject({ cloudUrl: 'https://cloud.glowmedspa.example', ringtone: 'soft' });
    expect(second.recovery).toMatchObject({ fromLastGood: true });
    expect(JSON.parse(await readFile(file(), 'utf8')).cloudUrl).toBe('https://cloud.glowmedspa.example');
    expect(notices.list()[0]!.message).toMatch(/restored from the last good copy/);
  });

  it('validates updates and never stores a bad one', async () => {
    const settings = service();
    settings.load();
    let changed = 0;
    settings.onChange(() => changed++);
    expect(settings.update({ hotkeys: { answer: 'F8' } }).hotkeys).toMatchObject({ answer: 'F8', hangUp: 'CommandOrControl+Shift+H' });
    expect(() => settings.update({ hotkeys: { answer: 'Ctrl+💥' } })).toThrow(/shortcut/);
    // The page cannot set the cloud address at all: the contract's patch schema has no such field.
    expect(settingsPatchSchema.safeParse({ cloudUrl: 'https://evil.example' }).success).toBe(false);
    expect(() => settings.setCloudUrl('not a url')).toThrow();
    expect(JSON.parse(await readFile(file(), 'utf8')).hotkeys.answer).toBe('F8');
    expect(changed).toBe(1);
  });
});
