import Taro from '@tarojs/taro';
import { api } from '@/api';
import { isLoggedIn } from '@/api/session';
import { go } from '@/lib/nav';

/** 内容 kinds as shoppers read them. */
export const KIND_LABELS: Record<string, string> = { article: '文章', topic: '专题', scene_guide: '场景指南' };

const DEVICE_KEY = 'edgemall.device';

/** A stable random id for this device, so a signed-out reader counts once a day too. */
export function deviceId(): string {
  let id = Taro.getStorageSync(DEVICE_KEY) as string;
  if (!id) {
    id = `dev-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    Taro.setStorageSync(DEVICE_KEY, id);
  }
  return id;
}

type EventBody = { kind: 'view' | 'dwell' | 'click' | 'share'; seconds?: number; productId?: string };

/** Reports a view / dwell / click / share of an article; metrics are a bonus, never disturb the page. */
export function reportContentEvent(articleId: string, body: EventBody): void {
  const withSubject = isLoggedIn() ? body : { ...body, deviceId: deviceId() };
  void api.call('reportContentEvent', { path: { articleId }, body: withSubject }).catch(() => undefined);
}

/** A home section's link: an article, a product, the content list (by tag or kind) or one of our pages. */
export function openContentLink(link: { type: string; target: string } | null | undefined): void {
  if (!link) return;
  if (link.type === 'article') void go('article', { id: link.target });
  else if (link.type === 'product') void go('product', { id: link.target });
  else if (link.type === 'articles')
    void go('articles', KIND_LABELS[link.target] ? { kind: link.target } : { tag: link.target || undefined });
  else if (link.type === 'path')
    void Taro.navigateTo({ url: link.target }).catch(() => Taro.switchTab({ url: link.target.split('?')[0]! }));
}
