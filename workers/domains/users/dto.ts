import { z } from '@hono/zod-openapi';
import { TokenPairSchema } from '../auth/dto';
import { DeviceId, InviteCode } from '../members/referrals/dto';

/** Optional on every sign-in: an invite link's code (bound only when this sign-in creates the shopper) and the install id. */
const inviteFields = {
  inviteCode: InviteCode.optional().openapi({
    description:
      '邀请码 from the invite link (H5 ?inviteCode=, mini-program share path or QR scene): binds the new shopper to the inviter; ignored for a shopper who already existed',
  }),
  deviceId: DeviceId.optional(),
};

export const WxLoginInput = z
  .object({
    code: z.string().trim().min(1).max(128).openapi({ description: 'the code from wx.login()', example: 'demo-shopper' }),
    nickname: z.string().trim().min(1).max(32).optional(),
    ...inviteFields,
  })
  .openapi('WxLoginInput');

const phone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
  .openapi({ example: '13800138000' });

export const SmsCodeInput = z.object({ phone }).openapi('SmsCodeInput');
export const SmsLoginInput = z
  .object({ phone, code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code'), ...inviteFields })
  .openapi('SmsLoginInput');

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
