import type { HoldReason, StoredScreening } from './schema';

/**
 * What screening means for a shopper's review. Pure, so it is tested without D1.
 *
 * - pass / warn → published at once (warn terms are advice for sellers, not faults in an opinion).
 * - review, or block on 广告法/功效 terms (最好, 第一, 根治 …) → held for a person: a shopper is
 *   not an advertiser, and "这是我买过最好的杯子" is an opinion an operator should be able to let
 *   through, so it waits in the moderation queue instead of being refused.
 * - block on abuse, illegal or political terms (vulgar / sensitive / political / fraud) → refused with
 *   the matches, so the shopper sees what to change: nobody should approve those.
 * - a near-duplicate of another review (copy-paste spam) → held.
 */
export const REFUSED_CATEGORIES = new Set(['vulgar', 'sensitive', 'political', 'fraud']);

/** simhash bits within which two review texts count as copies. */
export const DUPLICATE_DISTANCE = 3;
/** Shorter texts are not compared: short praise (质量很好，物流很快) is naturally alike. */
export const DUPLICATE_MIN_CHARS = 20;

export type Decision =
  { outcome: 'publish' } | { outcome: 'hold'; reason: HoldReason } | { outcome: 'refuse'; matches: StoredScreening['matches'] };

export function decide(s: StoredScreening): Decision {
  const refused = s.matches.filter((m) => m.severity === 'block' && REFUSED_CATEGORIES.has(m.category));
  if (refused.length) return { outcome: 'refuse', matches: refused };
  if (s.verdict === 'block' || s.verdict === 'review') return { outcome: 'hold', reason: 'screening' };
  if (s.duplicates.length) return { outcome: 'hold', reason: 'duplicate' };
  return { outcome: 'publish' };
}

/** 张三 → 张**: an anonymous author keeps only the first character of the nickname. */
export function maskName(nickname: string): string {
  const first = [...nickname.trim()][0] ?? '匿';
  return `${first}**`;
}
