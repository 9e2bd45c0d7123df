/**
 * The member centre (会员中心): the tier card's progress to the next tier, the icon of a tier,
 * what a tier change and the 保级 date read like, and the profile form's rules. Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { formatTime } from './format';

export type Membership = OperationResult<'getMembership'>;
export type TierBrief = NonNullable<Membership['tier']>;
export type TierChange = Membership['recentChanges'][number];
export type Me = OperationResult<'getMe'>;

/** A preset icon as a glyph both the mini-program and H5 draw (an uploaded icon's URL wins). */
export const TIER_GLYPH: Record<TierBrief['icon']['name'], string> = {
  leaf: '🌿',
  star: '⭐',
  medal: '🏅',
  crown: '👑',
  diamond: '💎',
  gem: '💠',
};

export interface TierProgress {
  /** 0–100: how far from the current tier's threshold to the next one */
  percent: number;
  text: string;
}

/** The progress bar under the tier card: "再获得 N 成长值升级为 X", or the top tier. */
export function tierProgress(m: Pick<Membership, 'tier' | 'nextTier' | 'growth' | 'growthToNext'>): TierProgress {
  if (!m.tier) return { percent: 0, text: '会员等级即将开放' };
  if (!m.nextTier || m.growthToNext === null) return { percent: 100, text: '已是最高等级，尊享全部权益' };
  const span = m.nextTier.threshold - m.tier.threshold;
  const done = m.growth - m.tier.threshold;
  const percent = span > 0 ? Math.max(0, Math.min(100, Math.floor((done / span) * 100))) : 0;
  if (m.growthToNext === 0) return { percent: 100, text: `已达到${m.nextTier.name}门槛，下一笔订单完成后升级` };
  return { percent, text: `再获得 ${m.growthToNext} 成长值升级为${m.nextTier.name}` };
}

/** "保级日期 2027-12-07：届时近12个月成长值需达到 2000" — or nothing for the lowest tier. */
export function reviewText(m: Pick<Membership, 'reviewAt' | 'tier' | 'growthWindowMonths'>): string | null {
  if (!m.reviewAt || !m.tier) return null;
  const day = formatTime(m.reviewAt, { year: true }).slice(0, 10);
  return `保级日期 ${day}：届时近${m.growthWindowMonths}个月成长值达到 ${m.tier.threshold} 即可保持${m.tier.name}`;
}

/** One line of the tier history: "2026-12-07 成长值达到金卡会员". */
export function changeLine(c: TierChange): { date: string; text: string; tone: 'up' | 'down' | 'keep' } {
  const tone = c.reason === 'review_downgrade' ? 'down' : c.reason === 'review_keep' ? 'keep' : 'up';
  return { date: formatTime(c.createdAt, { year: true }).slice(0, 10), text: c.reasonText, tone };
}

/** The other member pages, built by the points, check-in, tasks, mall, referral and messages features. */
export const MEMBER_ENTRIES = [
  { key: 'points', text: '积分明细', icon: '积', url: '/member/points/index' },
  { key: 'checkin', text: '每日签到', icon: '签', url: '/member/checkin/index' },
  { key: 'tasks', text: '任务中心', icon: '任', url: '/member/tasks/index' },
  { key: 'mall', text: '积分商城', icon: '兑', url: '/member/mall/index' },
  { key: 'invite', text: '邀请有礼', icon: '邀', url: '/member/invite/index' },
  { key: 'favorites', text: '我的收藏', icon: '藏', url: '/member/favorites/index' },
  { key: 'messages', text: '消息设置', icon: '信', url: '/member/messages/index' },
] as const;

export const GENDERS = [
  { value: 'male', text: '男' },
  { value: 'female', text: '女' },
] as const;

/** What the profile form may send: only what changed; an error in Chinese for what cannot. */
export function profileChanges(
  me: Pick<Me, 'nickname' | 'birthday' | 'gender'>,
  form: { nickname: string; birthday: string | null; gender: 'male' | 'female' | null },
): { body: { nickname?: string; birthday?: string; gender?: 'male' | 'female' | null }; error: string | null } {
  const body: { nickname?: string; birthday?: string; gender?: 'male' | 'female' | null } = {};
  const nick = form.nickname.trim();
  if (!nick) return { body, error: '请填写昵称' };
  if ([...nick].length > 20) return { body, error: '昵称最多20个字' };
  if (nick !== me.nickname) body.nickname = nick;
  if (form.birthday && form.birthday !== me.birthday) body.birthday = form.birthday;
  if (form.gender !== me.gender) body.gender = form.gender;
  return { body, error: null };
}

/** The note under the birthday picker. */
export function birthdayHint(me: Pick<Me, 'birthday' | 'birthdayChangeableFrom'>): string {
  if (!me.birthday) return '填写生日，生日当天可领会员生日礼（设置后一年内只能修改一次）';
  if (me.birthdayChangeableFrom)
    return `生日每年只能修改一次，${formatTime(me.birthdayChangeableFrom, { year: true }).slice(0, 10)} 后可再修改`;
  return '生日每年只能修改一次';
}
