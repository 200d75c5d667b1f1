import { z } from 'zod';
import { userSchema } from './entities';

export const loginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  /** Shown in the user's session list, e.g. "Front desk PC". */
  deviceName: z.string().trim().min(1).max(100).default('Aesthetix Softphone'),
});
export type LoginRequest = z.input<typeof loginRequestSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(200) });

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  /** Seconds the access token is valid for. */
  accessTokenExpiresIn: z.number().int(),
  /** Rotates on every refresh; presenting a spent one revokes the whole session. */
  refreshToken: z.string(),
  sessionId: z.string(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const loginResponseSchema = tokenPairSchema.extend({ user: userSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const twilioTokenResponseSchema = z.object({
  token: z.string(),
  identity: z.string(),
  ttlSeconds: z.number().int(),
  expiresAt: z.string(),
});
export type TwilioTokenResponse = z.infer<typeof twilioTokenResponseSchema>;
