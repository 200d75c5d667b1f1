import { createRequire } from 'node:module';
import type * as Otplib from 'otplib';
import { TWO_FACTOR_RULES } from '../../shared/cloud/twofa';

let otplib: typeof Otplib | undefined;

/** otplib, loaded on the first authenticator code rather than with the cloud: ~30 ms of CPU a start need not pay (issue #21). */
function otp(): typeof Otplib.authenticator {
  otplib ??= createRequire(import.meta.url)('otplib') as typeof Otplib;
  return otplib.authenticator;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) through otplib, with the clock passed in. */
export function generateTotpSecret(): string {
  return otp().generateSecret(20);
}

export function totpUri(secret: string, accountName: string): string {
  return otp().keyuri(accountName, 'Aesthetix', secret);
}

export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TWO_FACTOR_RULES.totpStepSeconds);

/**
 * The time step `code` belongs to when it is valid within ±1 step of `nowMs`, else null.
 * The caller rejects a step at or before the last one accepted (replay).
 */
export function matchTotpStep(secret: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const checker = otp().clone({ epoch: nowMs, window: TWO_FACTOR_RULES.totpWindowSteps, step: TWO_FACTOR_RULES.totpStepSeconds });
  const delta = checker.checkDelta(code, secret);
  return delta === null ? null : totpStep(nowMs) + delta;
}

/** The code an authenticator shows at `nowMs` (tests, and the E2E computing what the user would type). */
export function totpCodeAt(secret: string, nowMs: number): string {
  return otp().clone({ epoch: nowMs, step: TWO_FACTOR_RULES.totpStepSeconds }).generate(secret);
}
