import { beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, resetTaro } from './shims/taro';

const sent: { op: string; input: any }[] = [];
vi.mock('@/api', () => ({ api: { call: (op: string, input: unknown) => (sent.push({ op, input }), Promise.resolve({})) } }));
let signedIn = false;
vi.mock('@/api/session', () => ({ isLoggedIn: () => signedIn }));

const { deviceId, openContentLink, reportContentEvent } = await import('@/lib/content');

beforeEach(() => {
  resetTaro();
  sent.length = 0;
  signedIn = false;
});

describe('content links from home sections', () => {
  it('opens an article, a product, the list by kind or tag, and our own pages', () => {
    openContentLink({ type: 'article', target: 'cnt_1' });
    openContentLink({ type: 'product', target: 'prd_1' });
    openContentLink({ type: 'articles', target: 'scene_guide' });
    openContentLink({ type: 'articles', target: '开学季' });
    openContentLink({ type: 'articles', target: '' });
    openContentLink({ type: 'path', target: '/pages/coupons/index' });
    openContentLink(null);
    expect(calls.map((c) => (c.args[0] as { url: string }).url)).toEqual([
      '/content/article/index?id=cnt_1',
      '/pages/product/index?id=prd_1',
      '/content/list/index?kind=scene_guide',
      `/content/list/index?tag=${encodeURIComponent('开学季')}`,
      '/content/list/index',
      '/pages/coupons/index',
    ]);
  });
});

describe('content events', () => {
  it('a signed-out reader reports with a device id that stays the same', () => {
    const id = deviceId();
    expect(id).toMatch(/^[\w-]{8,64}$/);
    expect(deviceId()).toBe(id);
    reportContentEvent('cnt_1', { kind: 'view' });
    expect(sent[0]).toEqual({ op: 'reportContentEvent', input: { path: { articleId: 'cnt_1' }, body: { kind: 'view', deviceId: id } } });
  });
  it('a signed-in shopper reports without one', () => {
    signedIn = true;
    reportContentEvent('cnt_1', { kind: 'click', productId: 'prd_1' });
    expect(sent[0]!.input.body).toEqual({ kind: 'click', productId: 'prd_1' });
  });
});
