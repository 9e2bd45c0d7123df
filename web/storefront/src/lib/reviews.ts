/**
 * Review helpers shared by the product page and the review pages. Pure: no Taro.
 * The tag list mirrors the server's REVIEW_TAGS (the API refuses any other tag).
 */
export const REVIEW_TAGS = [
  '质量好',
  '物流快',
  '性价比高',
  '描述相符',
  '包装好',
  '服务好',
  '做工精细',
  '颜值高',
  '尺码合适',
  '值得回购',
] as const;
export const MAX_REVIEW_PHOTOS = 9;
export const MAX_REVIEW_TEXT = 500;

export const REVIEW_FILTERS = [
  { key: 'all', label: '全部' },
  { key: 'media', label: '有图/视频' },
  { key: 'good', label: '好评' },
  { key: 'medium', label: '中评' },
  { key: 'bad', label: '差评' },
  { key: 'append', label: '追评' },
] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number]['key'];

export const RATING_WORDS = ['', '非常差', '差', '一般', '满意', '非常满意'] as const;

/** ★★★★☆ for 4. */
export const stars = (n: number) => '★★★★★'.slice(0, n) + '☆☆☆☆☆'.slice(0, 5 - n);

/** 0.966 → "97%" (the good rate the summary shows). */
export const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** The label of a review's status for its author. */
export function reviewStatusText(status: string | undefined): string {
  if (status === 'pending') return '审核中';
  if (status === 'rejected') return '未通过';
  return '已发布';
}

/** "2026-12-07T08:00:00.000Z" → "2026-12-07" (the storefront shows the day only). */
export const reviewDay = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
