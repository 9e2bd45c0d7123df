import { useEffect, useState } from 'react';
import { useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { KIND_LABELS } from '@/lib/content';
import { PageState } from '@/components/page-state';
import './index.css';

type Summary = OperationResult<'listArticles'>['items'][number];
type Kind = 'article' | 'topic' | 'scene_guide';
const PAGE = 20;
const TABS: { key: Kind | ''; label: string }[] = [
  { key: '', label: '全部' },
  { key: 'scene_guide', label: '场景指南' },
  { key: 'topic', label: '专题' },
  { key: 'article', label: '文章' },
];

/** 内容精选: published articles, topics and scene guides, by kind (tabs) or a tag from the link that opened it. */
export default function ArticlesPage() {
  const { params } = useRouter();
  const [kind, setKind] = useState<Kind | ''>((params.kind as Kind) ?? '');
  const tag = params.tag ? decodeURIComponent(params.tag) : undefined;
  const query = { limit: PAGE, kind: kind || undefined, tag };
  const first = useApi(() => api.call('listArticles', { query }), [kind, tag], { refreshOnShow: true });
  const [items, setItems] = useState<Summary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    setItems(first.data?.items ?? []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  useReachBottom(() => {
    if (!cursor || more) return;
    setMore(true);
    api
      .call('listArticles', { query: { ...query, cursor } })
      .then((r) => {
        setItems((xs) => [...xs, ...r.items]);
        setCursor(r.nextCursor);
      })
      .catch(toastError)
      .finally(() => setMore(false));
  });

  return (
    <View className="articles" data-testid="articles-page">
      <View className="articles__tabs">
        {TABS.map((t) => (
          <Text
            key={t.key}
            className={`articles__tab${t.key === kind ? ' articles__tab--on' : ''}`}
            data-testid="articles-tab"
            onClick={() => setKind(t.key)}
          >
            {t.label}
          </Text>
        ))}
      </View>
      {tag && <Text className="articles__tag">#{tag}</Text>}
      {items.length === 0 ? (
        <PageState
          loading={first.loading && !first.data}
          error={first.error}
          onRetry={() => void first.reload()}
          empty
          emptyText="暂无内容"
        />
      ) : (
        items.map((a) => (
          <View
            key={a.id}
            className="articles__item"
            data-testid="article-item"
            data-article-id={a.id}
            onClick={() => void go('article', { id: a.id })}
          >
            {a.coverUrl ? <Image className="articles__cover" src={a.coverUrl} mode="aspectFill" /> : <View className="articles__cover" />}
            <View className="articles__info">
              <Text className="articles__title" data-testid="article-title">
                {a.title}
              </Text>
              {a.summary && <Text className="articles__summary">{a.summary}</Text>}
              <View className="articles__meta">
                <Text className="articles__kind">{KIND_LABELS[a.kind]}</Text>
                {a.seasonTag && <Text className="articles__season">{a.seasonTag}</Text>}
                {a.tags.slice(0, 2).map((t) => (
                  <Text key={t} className="articles__chip">
                    #{t}
                  </Text>
                ))}
                <Text className="articles__likes">赞 {a.likes}</Text>
              </View>
            </View>
          </View>
        ))
      )}
    </View>
  );
}
