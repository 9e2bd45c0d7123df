import { z } from '@hono/zod-openapi';
import { TokenPairSchema } from '../auth/dto';

export const WxLoginInput = z
  .object({
    code: z.string().trim().min(1).max(128).openapi({ description: 'the code from wx.login()', example: 'demo-shopper' }),
    nickname: z.string().trim().min(1).max(32).optional(),
  })
  .openapi('WxLoginInput');

const phone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
  .openapi({ example: '13800138000' });

export const SmsCodeInput = z.object({ phone }).openapi('SmsCodeInput');
export const SmsLoginInput = z.object({ phone, code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') }).openapi('SmsLoginInput');

export const UserSchema = z
  .object({
    id: z.string(),
    nickname: z.string(),
    phoneMasked: z.string().nullable(),
    hasWechat: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

export const LoginResult = TokenPairSchema.extend({ user: UserSchema, isNew: z.boolean() }).openapi('UserLoginResult');

export const SmsCodeResult = z
  .object({
    sent: z.literal(true),
    retryAfterSeconds: z.number().int(),
    sandboxCode: z.string().optional().openapi({ description: 'sandbox only: the code, so demos and tests can log in' }),
  })
  .openapi('SmsCodeResult');

export type UserDto = z.infer<typeof UserSchema>;
