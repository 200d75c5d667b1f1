import { describe, expect, it, vi } from 'vitest';
import type { CloudContext } from '../context';
import { signInInProcess } from './sessions';

describe('signInInProcess', () => {
  it('is refused outside sandbox mode, before the database is asked anything', async () => {
    const query = vi.fn();
    const ctx = { config: { sandbox: false }, db: { query } } as unknown as CloudContext;
    await expect(signInInProcess(ctx, { email: 'jordan@glowmedspa.example', deviceName: 'front desk' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(query).not.toHaveBeenCalled();
  });
});
