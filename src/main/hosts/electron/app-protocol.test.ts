import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged: vi.fn() } }));

const { protocol } = await import('electron');
const { registerAppScheme } = await import('./app-protocol');
const { APP_SCHEME } = await import('./window-policies');

describe('app:// scheme', () => {
  it('is standard and secure like https, and keeps V8 code cache between starts (which needs standard)', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: APP_SCHEME, privileges: expect.objectContaining({ standard: true, secure: true, codeCache: true }) },
    ]);
  });
});
