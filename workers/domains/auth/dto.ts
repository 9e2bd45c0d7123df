import { z } from '@hono/zod-openapi';

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'access token lifetime in seconds' }),
  })
  .openapi('TokenPair');

export const RefreshInput = z.object({ refreshToken: z.string().min(10).max(200) }).openapi('RefreshInput');
