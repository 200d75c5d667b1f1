import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  SECURE_WEB_PREFERENCES,
  isPermissionCheckAllowed,
  isPermissionGranted,
} from './window-policies';

describe('window security policies', () => {
  it('keeps every window sandboxed and isolated', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });

  it('grants the microphone to our own page only', () => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${APP_ORIGIN}/index.html`, mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${APP_ORIGIN}/`, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${APP_ORIGIN}/`, mediaTypes: [] })).toBe(false);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionGranted({ permission: 'geolocation', requestingUrl: `${APP_ORIGIN}/` })).toBe(false);
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: `${APP_ORIGIN}/` })).toBe(false);
    expect(isPermissionCheckAllowed('media', APP_ORIGIN)).toBe(true);
    expect(isPermissionCheckAllowed('media', 'https://evil.example')).toBe(false);
    expect(isPermissionCheckAllowed('clipboard-read', APP_ORIGIN)).toBe(false);
  });
});
