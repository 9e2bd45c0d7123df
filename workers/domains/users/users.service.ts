import { and, asc, eq, gt, gte, inArray, like, lt, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { isSandbox, requireSecret } from '../../shared/env';
import { AppError, badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decryptPii, encryptPii, hmacHex, maskPhone, sha256Hex, safeEqual } from '../../shared/crypto';
import { D1_IN_CHUNK, inChunks, iso } from '../../shared/db';
import { refreshSession, startSession, type TokenPair } from '../auth/auth.service';
import { smsCodes, users } from './schema';
import type { UpdateMyProfileInput, UserDto } from './dto';
import { shanghaiDay, DAY_MS } from '../../shared/calendar';
import { assertMediaPurpose, mediaUrl } from '../media/media.service';

type UserRow = typeof users.$inferSelect;

const SMS_CODE_TTL_MS = 5 * 60_000;
const SMS_RESEND_MS = 60_000;
const SMS_MAX_ATTEMPTS = 5;

async function toDto(ctx: Ctx, u: UserRow): Promise<UserDto> {
  let phoneMasked: string | null = null;
  if (u.phoneEnc) phoneMasked = maskPhone(await decryptPii(requireSecret(ctx.env, 'PII_KEYS'), u.phoneEnc));
  const changeableFrom = u.birthdaySetAt != null ? u.birthdaySetAt + BIRTHDAY_CHANGE_MS : null;
  return {
    id: u.id,
    nickname: u.nickname,
    phoneMasked,
    hasWechat: u.openid != null,
    createdAt: iso(u.createdAt)!,
    avatarUrl: u.avatarMediaKey ? mediaUrl(ctx.env, u.avatarMediaKey) : null,
    birthday: u.birthday,
    gender: u.gender,
    birthdayChangeableFrom: changeableFrom !== null && changeableFrom > ctx.now ? iso(changeableFrom) : null,
  };
}

/** A birthday, once set, may change again only after this long: otherwise the yearly gift could be farmed. */
export const BIRTHDAY_CHANGE_MS = 365 * DAY_MS;

/** Resolves a wx.login code to an openid: WeChat's jscode2session, or a deterministic sandbox mapping. */
async function openidFromCode(ctx: Ctx, code: string): Promise<{ openid: string; unionid: string | null }> {
  if (isSandbox(ctx.env)) {
    // Same code → same shopper, so tests and the demo can log in without WeChat.
    return { openid: `sbx_${(await sha256Hex(`wx:${code}`)).slice(0, 28)}`, unionid: null };
  }
  const appid = ctx.env.WECHAT_APP_ID;
  const secret = ctx.env.WECHAT_APP_SECRET;
  if (!appid || !secret) throw new AppError('users.wechat_not_configured', 503, 'WeChat login is not configured');
  const base = ctx.env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com';
  const url = `${base}/sns/jscode2session?appid=${encodeURIComponent(appid)}&secret=${encodeURIComponent(secret)}&js_code=${encodeURIComponent(code)}&grant_type=authorization_code`;
  let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
  try {
    body = (await (await fetch(url)).json()) as typeof body;
  } catch (e) {
    ctx.log.error('wechat jscode2session failed', { err: String(e) });
    throw new AppError('users.wechat_unavailable', 502, 'WeChat login service is unavailable; try again');
  }
  if (!body.openid) {
    ctx.log.warn('wechat jscode2session rejected code', { errcode: body.errcode });
    throw new AppError('users.invalid_wechat_code', 401, `WeChat rejected the login code (${body.errcode ?? 'unknown'})`);
  }
  return { openid: body.openid, unionid: body.unionid ?? null };
}

/** wx.login code → shopper (created on first login) + session tokens; flows/login.ts wraps it as userLogin. */
export async function loginWithWechat(ctx: Ctx, input: { code: string; nickname?: string }) {
  const { openid, unionid } = await openidFromCode(ctx, input.code);
  const id = newId('usr');
  // Insert-or-touch in one statement so two concurrent first logins make one shopper.
  await ctx.db
    .insert(users)
    .values({ id, openid, unionid, nickname: input.nickname ?? `微信用户${openid.slice(-4)}`, createdAt: ctx.now, lastLoginAt: ctx.now })
    .onConflictDoUpdate({ target: users.openid, set: { lastLoginAt: ctx.now } });
  const [u] = await ctx.db.select().from(users).where(eq(users.openid, openid)).limit(1);
  if (!u) throw new Error('user vanished after upsert');
  if (u.status !== 'active') throw new AppError('users.disabled', 403, 'this account is disabled');
  const tokens = await startSession(ctx, { type: 'user', id: u.id });
  return { ...tokens, user: await toDto(ctx, u), isNew: u.id === id };
}

const phoneIndex = (ctx: Ctx, phone: string) => hmacHex(requireSecret(ctx.env, 'PII_KEYS'), `phone:${phone}`);

/**
 * The blind index of a phone number, as users.phone_hash stores it: lets another domain's phone
 * (a delivery address's) be compared with a shopper's own without decrypting either.
 */
export const phoneBlindIndex = phoneIndex;

/** The shopper's phone blind index, or null (a WeChat-only shopper, or unknown). */
export async function phoneHashOf(ctx: Ctx, userId: string): Promise<string | null> {
  const [u] = await ctx.db.select({ phoneHash: users.phoneHash }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.phoneHash ?? null;
}

/** Sends an H5 login code. Sandbox: the code goes to the log (and the response) instead of an SMS. */
export async function sendSmsCode(ctx: Ctx, phone: string): Promise<{ sent: true; retryAfterSeconds: number; sandboxCode?: string }> {
  const phoneHash = await phoneIndex(ctx, phone);
  const [prev] = await ctx.db.select().from(smsCodes).where(eq(smsCodes.phoneHash, phoneHash)).limit(1);
  if (prev && ctx.now - prev.sentAt < SMS_RESEND_MS) {
    throw new AppError('users.sms_too_frequent', 429, 'a code was sent less than a minute ago', {
      retryAfterSeconds: Math.ceil((SMS_RESEND_MS - (ctx.now - prev.sentAt)) / 1000),
    });
  }
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
  const code = String(n).padStart(6, '0');
  const row = {
    phoneHash,
    codeHash: await sha256Hex(`${phoneHash}:${code}`),
    expiresAt: ctx.now + SMS_CODE_TTL_MS,
    attempts: 0,
    sentAt: ctx.now,
  };
  await ctx.db.insert(smsCodes).values(row).onConflictDoUpdate({ target: smsCodes.phoneHash, set: row });
  if (isSandbox(ctx.env)) {
    ctx.log.info('sandbox sms code', { phone: maskPhone(phone), code });
    return { sent: true, retryAfterSeconds: 60, sandboxCode: code };
  }
  // A production SMS gateway is not wired yet: refuse rather than pretend the code was sent.
  throw new AppError('users.sms_not_configured', 503, 'SMS login is not configured on this deployment');
}

/**
 * H5 login with phone + SMS code; the shopper is created on first login. Each guess is admitted
 * before it is compared, by one guarded UPDATE (attempts < max, code unexpired), so a concurrent
 * burst checks no more guesses than one-at-a-time requests would; the right code is consumed by
 * a DELETE guarded on its hash, so it signs in once.
 */
export async function loginWithSms(ctx: Ctx, input: { phone: string; code: string }) {
  const phoneHash = await phoneIndex(ctx, input.phone);
  const admitted = await ctx.db
    .update(smsCodes)
    .set({ attempts: sql`${smsCodes.attempts} + 1` })
    .where(and(eq(smsCodes.phoneHash, phoneHash), lt(smsCodes.attempts, SMS_MAX_ATTEMPTS), gt(smsCodes.expiresAt, ctx.now)))
    .returning({ codeHash: smsCodes.codeHash });
  const pending = admitted[0];
  if (!pending) {
    const [row] = await ctx.db.select().from(smsCodes).where(eq(smsCodes.phoneHash, phoneHash)).limit(1);
    if (row && row.expiresAt > ctx.now) throw new AppError('users.sms_code_locked', 429, 'too many wrong codes; request a new one');
    throw new AppError('users.sms_code_expired', 400, 'the code has expired; request a new one');
  }
  const guessHash = await sha256Hex(`${phoneHash}:${input.code}`);
  if (!safeEqual(guessHash, pending.codeHash)) throw new AppError('users.sms_code_wrong', 400, 'the code is wrong');
  const consumed = await ctx.db.delete(smsCodes).where(and(eq(smsCodes.phoneHash, phoneHash), eq(smsCodes.codeHash, guessHash)));
  if (consumed.meta.changes !== 1) throw new AppError('users.sms_code_expired', 400, 'the code has already been used; request a new one');
  const id = newId('usr');
  const phoneEnc = await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), input.phone);
  await ctx.db
    .insert(users)
    .values({ id, phoneHash, phoneEnc, nickname: `用户${input.phone.slice(-4)}`, createdAt: ctx.now, lastLoginAt: ctx.now })
    .onConflictDoUpdate({ target: users.phoneHash, set: { lastLoginAt: ctx.now } });
  const [u] = await ctx.db.select().from(users).where(eq(users.phoneHash, phoneHash)).limit(1);
  if (!u) throw new Error('user vanished after upsert');
  if (u.status !== 'active') throw new AppError('users.disabled', 403, 'this account is disabled');
  const tokens = await startSession(ctx, { type: 'user', id: u.id });
  return { ...tokens, user: await toDto(ctx, u), isNew: u.id === id };
}

export async function getUser(ctx: Ctx, userId: string): Promise<UserDto> {
  const [u] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw notFound('users.not_found', 'user');
  return toDto(ctx, u);
}

/** The shopper signed in with this phone number (through its blind index), or null. Staff lookups use it. */
export async function findUserByPhone(ctx: Ctx, phone: string): Promise<UserDto | null> {
  const [u] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.phoneHash, await phoneIndex(ctx, phone)))
    .limit(1);
  return u ? toDto(ctx, u) : null;
}

export function refreshUserTokens(ctx: Ctx, refreshToken: string): Promise<TokenPair> {
  return refreshSession(ctx, refreshToken, async (type, id) => {
    if (type !== 'user') return null;
    const [u] = await ctx.db.select({ status: users.status }).from(users).where(eq(users.id, id)).limit(1);
    return u?.status === 'active' ? { type: 'user', id } : null;
  });
}

/**
 * How to reach a shopper with a notification: WeChat openid and/or the decrypted phone (personal
 * data: never log it). Null when the user does not exist.
 */
export async function getNotificationContact(ctx: Ctx, userId: string): Promise<{ openid: string | null; phone: string | null } | null> {
  const [u] = await ctx.db.select({ openid: users.openid, phoneEnc: users.phoneEnc }).from(users).where(eq(users.id, userId)).limit(1);
  if (!u) return null;
  return { openid: u.openid, phone: u.phoneEnc ? await decryptPii(requireSecret(ctx.env, 'PII_KEYS'), u.phoneEnc) : null };
}

/** The shopper's WeChat openid (payer for JSAPI payments), or null for phone-only H5 shoppers. */
export async function getUserOpenid(ctx: Ctx, userId: string): Promise<string | null> {
  const [u] = await ctx.db.select({ openid: users.openid }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.openid ?? null;
}

/** Display names of the given shoppers, however many (unknown ids are absent), e.g. for a group-buy team's members. */
export async function getNicknames(ctx: Ctx, userIds: string[]): Promise<Map<string, string>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db.select({ id: users.id, nickname: users.nickname }).from(users).where(inArray(users.id, part)),
  );
  return new Map(rows.map((r) => [r.id, r.nickname]));
}

/** When the shopper registered (epoch ms), or null if unknown: segments such as 新用户 use it. */
export async function getUserCreatedAt(ctx: Ctx, userId: string): Promise<number | null> {
  const [u] = await ctx.db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.createdAt ?? null;
}

/**
 * Active shoppers in id order after `afterId`, optionally only those registered since
 * `createdSince`: a page of a segment for bulk coupon issues.
 */
export async function listActiveUserIds(ctx: Ctx, q: { afterId?: string; createdSince?: number; limit: number }): Promise<string[]> {
  const conds = [eq(users.status, 'active')];
  if (q.afterId) conds.push(gt(users.id, q.afterId));
  if (q.createdSince !== undefined) conds.push(gte(users.createdAt, q.createdSince));
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(...conds))
    .orderBy(asc(users.id))
    .limit(q.limit);
  return rows.map((r) => r.id);
}

/**
 * updateMyProfile: nickname, avatar (a key the shopper uploaded with uploadMyAvatar), birthday and
 * gender. The birthday is free to set the first time; changing it is allowed once a year, decided
 * by one guarded UPDATE so two concurrent changes cannot both pass (409 users.birthday_locked).
 */
export async function updateMyProfile(ctx: Ctx, userId: string, input: UpdateMyProfileInput): Promise<UserDto> {
  const [u] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw notFound('users.not_found', 'user');
  const set: Partial<typeof users.$inferInsert> = {};
  if (input.nickname !== undefined) set.nickname = input.nickname;
  if (input.gender !== undefined) set.gender = input.gender;
  if (input.avatarKey !== undefined) {
    if (input.avatarKey !== null) await assertMediaPurpose(ctx, input.avatarKey, 'avatar', userId);
    set.avatarMediaKey = input.avatarKey;
  }
  const changingBirthday = input.birthday !== undefined && input.birthday !== u.birthday;
  if (changingBirthday) {
    const b = input.birthday!;
    const t = Date.parse(`${b}T00:00:00Z`);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== b)
      throw badRequest('users.invalid_birthday', `${b} is not a real date`, { path: 'birthday' });
    if (b > shanghaiDay(ctx.now) || b < '1900-01-01')
      throw badRequest('users.invalid_birthday', 'the birthday must be between 1900-01-01 and today', { path: 'birthday' });
    set.birthday = b;
    set.birthdayMd = b.slice(5);
    set.birthdaySetAt = ctx.now;
  }
  if (Object.keys(set).length > 0) {
    const conds = [eq(users.id, userId)];
    // Changing a set birthday: only if the last change is a year old — and still the one we read.
    if (changingBirthday && u.birthday !== null)
      conds.push(sql`${users.birthday} = ${u.birthday}`, sql`coalesce(${users.birthdaySetAt}, 0) <= ${ctx.now - BIRTHDAY_CHANGE_MS}`);
    if (changingBirthday && u.birthday === null) conds.push(sql`${users.birthday} is null`);
    const r = await ctx.db
      .update(users)
      .set(set)
      .where(and(...conds));
    if (r.meta.changes !== 1) {
      const [now] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
      const from = (now?.birthdaySetAt ?? ctx.now) + BIRTHDAY_CHANGE_MS;
      throw conflict('users.birthday_locked', `生日每年只能修改一次，${shanghaiDay(from)} 后可再修改`, {
        changeableFrom: iso(from),
      });
    }
  }
  return getUser(ctx, userId);
}

const DEFAULT_NICKNAME = /^(微信用户.{4}|用户\d{4})$/;

/**
 * Whether the shopper's profile is complete: a nickname of their own (not the 微信用户xxxx /
 * 用户xxxx given at sign-up), an avatar, a birthday and a bound phone. The tasks feature reads
 * it for its 完善资料 task (see updateMyProfile: call it after a profile update).
 */
export async function profileComplete(ctx: Ctx, userId: string): Promise<boolean> {
  const [u] = await ctx.db
    .select({ nickname: users.nickname, avatar: users.avatarMediaKey, birthday: users.birthday, phone: users.phoneHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return !!u && !DEFAULT_NICKNAME.test(u.nickname) && u.avatar !== null && u.birthday !== null && u.phone !== null;
}

/** Active shoppers whose birthday falls on one of `monthDays` ("05-20"), in id order after `afterId`. */
export async function listUserIdsByBirthday(ctx: Ctx, monthDays: string[], afterId: string | null, limit: number): Promise<string[]> {
  const conds = [inArray(users.birthdayMd, monthDays), eq(users.status, 'active')];
  if (afterId) conds.push(gt(users.id, afterId));
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(...conds))
    .orderBy(asc(users.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Staff look-up of shoppers: an exact user id, an exact phone (through its blind index), or part
 * of a nickname; at most 20.
 */
export async function searchUsers(ctx: Ctx, q: string): Promise<UserDto[]> {
  const conds = [eq(users.id, q)];
  if (/^1[3-9]\d{9}$/.test(q)) conds.push(eq(users.phoneHash, await phoneIndex(ctx, q)));
  else conds.push(like(users.nickname, `%${q.replace(/[%_]/g, '')}%`));
  const rows = await ctx.db
    .select()
    .from(users)
    .where(or(...conds))
    .orderBy(asc(users.createdAt))
    .limit(20);
  return Promise.all(rows.map((r) => toDto(ctx, r)));
}

/** Active shoppers with their registration time, in id order after `afterId`: a page of the nightly member segmentation. */
export async function listActiveUsers(ctx: Ctx, q: { afterId?: string; limit: number }): Promise<{ id: string; createdAt: number }[]> {
  const conds = [eq(users.status, 'active')];
  if (q.afterId) conds.push(gt(users.id, q.afterId));
  return ctx.db
    .select({ id: users.id, createdAt: users.createdAt })
    .from(users)
    .where(and(...conds))
    .orderBy(asc(users.id))
    .limit(q.limit);
}
