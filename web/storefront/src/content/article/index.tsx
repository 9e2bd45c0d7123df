import { useEffect, useRef } from 'react';
import Taro, { useDidHide, useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Image, RichText, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { isLoggedIn } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, pageUrl } from '@/lib/nav';
import { KIND_LABELS, reportContentEvent } from '@/lib/content';
import { formatTime } from '@/lib/format';
import { Price } from '@/components/price';
import { PageState } from '@/components/page-state';
import './index.css';

const REPORT_REASONS = [
  { key: 'false_claim', label: '虚假宣传' },
  { key: 'ad_spam', label: '广告引流' },
  { key: 'offensive', label: '低俗冒犯' },
  { key: 'copied', label: '抄袭' },
  { key: 'other', label: '其他' },
] as const;

/** Seconds on screen, reported as dwell when the page hides (the server keeps the day's longest). */
function useDwell(articleId: string, ready: boolean) {
  const total = useRef(0);
  const shownAt = useRef<number | null>(null);
  const flush = () => {
    if (shownAt.current !== null) total.current += (Date.now() - shownAt.current) / 1000;
    shownAt.current = null;
    const s = Math.min(3600, Math.round(total.current));
    if (ready && s >= 1) reportContentEvent(articleId, { kind: 'dwell', seconds: s });
  };
  useEffect(() => {
    if (!ready) return;
    reportContentEvent(articleId, { kind: 'view' });
    shownAt.current = Date.now();
    return flush; // unmount (back)
  }, [ready, articleId]); // eslint-disable-line react-hooks/exhaustive-deps
  useDidShow(() => {
    if (ready && shownAt.current === null) shownAt.current = Date.now();
  });
  useDidHide(flush);
}

/** 内容详情: rich text, product cards (live price; 已下架 ones greyed), 点赞/踩, 举报, 分享. */
export default function ArticlePage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const page = useApi(() => api.call('getArticle', { path: { articleId: id } }), [id]);
  const a = page.data;
  useDwell(id, !!a);

  useShareAppMessage(() => {
    reportContentEvent(id, { kind: 'share' });
    return { title: a?.title ?? '内容精选', path: pageUrl('article', { id }), imageUrl: a?.coverUrl ?? undefined };
  });

  const needLogin = () => {
    if (isLoggedIn()) return false;
    void go('login');
    return true;
  };
  const rate = async (value: 'like' | 'dislike') => {
    if (!a || needLogin()) return;
    try {
      const r =
        a.myReaction === value
          ? await api.call('unrateArticle', { path: { articleId: id } })
          : await api.call('rateArticle', { path: { articleId: id }, body: { value } });
      page.setData({ ...a, ...r });
    } catch (e) {
      toastError(e);
    }
  };
  const report = async () => {
    if (!a || needLogin()) return;
    if (a.reportedByMe) return void Taro.showToast({ title: '已举报，我们会尽快处理', icon: 'none' });
    try {
      const pick = await Taro.showActionSheet({ itemList: REPORT_REASONS.map((r) => r.label) });
      const reason = REPORT_REASONS[pick.tapIndex]!.key;
      const r = await api.call('reportArticle', { path: { articleId: id }, body: { reason } });
      page.setData({ ...a, ...r });
      void Taro.showToast({ title: '举报已提交', icon: 'success' });
    } catch (e) {
      if ((e as { errMsg?: string })?.errMsg?.includes('cancel')) return;
      toastError(e);
    }
  };
  const share = () => {
    if (process.env.TARO_ENV === 'h5') {
      reportContentEvent(id, { kind: 'share' });
      void Taro.setClipboardData({ data: `${a?.title ?? ''} ${location.href}` });
    }
  };

  if (!a) return <PageState loading={page.loading} error={page.error} onRetry={() => void page.reload()} />;
  return (
    <View className="article" data-testid="article-page" data-article-id={a.id}>
      {a.coverUrl && <Image className="article__cover" src={a.coverUrl} mode="aspectFill" />}
      <View className="article__head">
        <Text className="article__title" data-testid="article-page-title">
          {a.title}
        </Text>
        <View className="article__meta">
          <Text className="article__kind">{KIND_LABELS[a.kind]}</Text>
          {a.seasonTag && <Text className="article__season">{a.seasonTag}</Text>}
          <Text className="article__time">{formatTime(a.publishedAt)}</Text>
        </View>
        {a.summary && <Text className="article__summary">{a.summary}</Text>}
      </View>
      <View className="article__body" data-testid="article-body">
        <RichText nodes={a.body} />
      </View>

      {a.products.length > 0 && (
        <View className="article__products">
          <Text className="article__section">文中好物</Text>
          {a.products.map((p) => (
            <View
              key={p.productId}
              className={`article__product${p.onSale ? '' : ' article__product--off'}`}
              data-testid="article-product"
              onClick={() => {
                if (!p.onSale) return;
                reportContentEvent(id, { kind: 'click', productId: p.productId });
                void go('product', { id: p.productId });
              }}
            >
              {p.imageUrl ? (
                <Image className="article__product-img" src={p.imageUrl} mode="aspectFill" />
              ) : (
                <View className="article__product-img" />
              )}
              <View className="article__product-info">
                <Text className="article__product-title">{p.title}</Text>
                <View className="article__product-foot">
                  <Price fen={p.price} size="sm" />
                  {p.label ? (
                    <Text className="article__product-label">{p.label}</Text>
                  ) : (
                    <Text className="article__product-go">去看看</Text>
                  )}
                </View>
              </View>
            </View>
          ))}
        </View>
      )}

      <View className="article__actions">
        <View
          className={`article__act${a.myReaction === 'like' ? ' article__act--on' : ''}`}
          data-testid="article-like"
          onClick={() => void rate('like')}
        >
          有用 {a.likes}
        </View>
        <View
          className={`article__act${a.myReaction === 'dislike' ? ' article__act--on' : ''}`}
          data-testid="article-dislike"
          onClick={() => void rate('dislike')}
        >
          没用 {a.dislikes}
        </View>
        <Button className="article__act article__share" openType="share" data-testid="article-share" onClick={share}>
          分享
        </Button>
        <View className="article__act article__report" data-testid="article-report" onClick={() => void report()}>
          {a.reportedByMe ? '已举报' : '举报'}
        </View>
      </View>
    </View>
  );
}
