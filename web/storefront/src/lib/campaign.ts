/**
 * The campaign page (会场): its 满减 / 满折 / 限时折扣 tags, how long it runs, and the campaign's own
 * coupons / flash sales picked out of the store-wide lists in the campaign's order. Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { formatTime } from './format';

export type ProductPromotions = OperationResult<'getProductPromotions'>;
export type RuleKind = ProductPromotions['rules'][number]['kind'] | 'limited_time';

export interface RuleTag {
  key: string;
  kind: RuleKind;
  text: string;
}

/**
 * The promotion tags of the products on show: each 满减/满折 tier on its own ("满199减30/满299减60"
 * → 满199减30, 满299减60) and each 限时折扣 label once, in the order first met.
 */
export function ruleTags(promos: readonly Pick<ProductPromotions, 'rules' | 'skus'>[]): RuleTag[] {
  const out: RuleTag[] = [];
  const seen = new Set<string>();
  const add = (kind: RuleKind, text: string) => {
    const t = text.trim();
    const key = `${kind}:${t}`;
    if (!t || seen.has(key)) return;
    seen.add(key);
    out.push({ key, kind, text: t });
  };
  for (const p of promos) for (const r of p.rules) for (const tier of r.label.split(/[/／、,，]/)) add(r.kind, tier);
  for (const p of promos) for (const s of p.skus) if (s.label) add('limited_time', s.label);
  // 满减 first, then 满折, then 限时折扣.
  const rank: Record<RuleKind, number> = { full_reduction: 0, full_discount: 1, limited_time: 2 };
  return out
    .map((t, i) => ({ t, i }))
    .sort((a, b) => rank[a.t.kind] - rank[b.t.kind] || a.i - b.i)
    .map((x) => x.t);
}

/** "12-04 18:00 - 01-03 18:00" (Beijing time). */
export function campaignPeriod(c: { startsAt: string; endsAt: string }): string {
  return `${formatTime(c.startsAt)} - ${formatTime(c.endsAt)}`;
}

/** "距结束还剩29天" / "距结束还剩5小时" / "即将结束" / "已结束" from the server's now. */
export function endsInText(endsAt: string, now: number): string {
  const left = Date.parse(endsAt) - now;
  if (!(left > 0)) return '已结束';
  const days = Math.floor(left / 86_400_000);
  if (days >= 1) return `距结束还剩${days}天`;
  const hours = Math.floor(left / 3_600_000);
  if (hours >= 1) return `距结束还剩${hours}小时`;
  return '即将结束';
}

/** The rows whose `key` is in `ids`, in the order of `ids` (ids without a row are skipped). */
export function pickInOrder<T>(rows: readonly T[], ids: readonly string[], key: (row: T) => string): T[] {
  const byId = new Map(rows.map((r) => [key(r), r] as const));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}
