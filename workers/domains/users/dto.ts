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

export const Gender = z.enum(['male', 'female']).openapi({ description: 'male 男 / female 女' });

export const UserSchema = z
  .object({
    id: z.string(),
    nickname: z.string(),
    phoneMasked: z.string().nullable(),
    hasWechat: z.boolean(),
    createdAt: z.string(),
    avatarUrl: z.string().nullable(),
    birthday: z.string().nullable().openapi({ description: 'YYYY-MM-DD', example: '1995-06-18' }),
    gender: Gender.nullable(),
    birthdayChangeableFrom: z
      .string()
      .nullable()
      .openapi({ description: 'ISO-8601: the birthday, once set, can be changed again from then on (once a year); null = now' }),
  })
  .openapi('User');

export const UpdateMyProfileInput = z
  .object({
    nickname: z.string().trim().min(1).max(20).optional().openapi({ example: '小鱼' }),
    avatarKey: z
      .string()
      .regex(/^img\/\d{6}\/med_[0-9a-z]{16}\.(?:jpg|png|webp|gif)$/, 'must be a key from uploadMyAvatar')
      .nullable()
      .optional()
      .openapi({ description: 'the key uploadMyAvatar returned; null removes the avatar' }),
    birthday: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
      .optional()
      .openapi({ description: 'YYYY-MM-DD; once set it can be changed at most once a year', example: '1995-06-18' }),
    gender: Gender.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'give at least one field to change')
  .openapi('UpdateMyProfileInput');
export type UpdateMyProfileInput = z.infer<typeof UpdateMyProfileInput>;

export const AvatarUploadSchema = z.object({ key: z.string(), url: z.string() }).openapi('AvatarUpload');

export const UserSearchQuery = z.object({
  q: z.string().trim().min(1).max(40).openapi({ description: 'a user id (usr_…), an 11-digit phone, or part of a nickname' }),
});

export const UserSearchResultSchema = z.object({ items: z.array(UserSchema) }).openapi('UserSearchResult');

export const LoginResult = TokenPairSchema.extend({ user: UserSchema, isNew: z.boolean() }).openapi('UserLoginResult');

export const SmsCodeResult = z
  .object({
    sent: z.literal(true),
    retryAfterSeconds: z.number().int(),
    sandboxCode: z.string().optional().openapi({ description: 'sandbox only: the code, so demos and tests can log in' }),
  })
  .openapi('SmsCodeResult');

export type UserDto = z.infer<typeof UserSchema>;
