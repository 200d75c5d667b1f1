/**
 * IPC channels of the two-factor-protected phone change (issue [2fa]). Merged into `ipcChannels`
 * by contract.ts; the 2FA feature owns this file.
 */
export const twoFactorChannels = {} as const;
