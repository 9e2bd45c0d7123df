import { View, Text, Image, Swiper, SwiperItem, ScrollView } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api } from '@/api';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { openContentLink } from '@/lib/content';
import { Price } from '@/components/price';
import './home-sections.css';

type Section = OperationResult<'getHomeSections'>['items'][number];

function Banner({ s }: { s: Section }) {
  const slides = s.slides ?? [];
  return (
    <View className="hs-banner" data-testid="home-section-banner">
      <Swiper
        className="hs-banner__swiper"
        indicatorDots={slides.length > 1}
        indicatorActiveColor="#ffffff"
        autoplay
        circular
        interval={4000}
      >
        {slides.map((b, i) => (
          <SwiperItem key={`${b.imageUrl}-${i}`}>
            <View className="hs-banner__item" data-testid="home-section-slide" onClick={() => openContentLink(b.link)}>
              <Image className="hs-banner__img" src={b.imageUrl} mode="aspectFill" />
              {b.title && <Text className="hs-banner__title">{b.title}</Text>}
            </View>
          </SwiperItem>
        ))}
      </Swiper>
    </View>
  );
}

function Entries({ s }: { s: Section }) {
  return (
    <View className="hs-card" data-testid="home-section-topics">
      <Text className="hs-card__title">{s.title}</Text>
      <View className="hs-entries">
        {(s.entries ?? []).map((e, i) => (
          <View
            key={`${e.title}-${i}`}
            className="hs-entry"
            data-testid="home-topic-entry"
            data-link-target={e.link?.target}
            onClick={() => openContentLink(e.link)}
          >
            {e.imageUrl ? (
              <Image className="hs-entry__icon" src={e.imageUrl} mode="aspectFill" />
            ) : (
              <View className="hs-entry__icon hs-entry__icon--text">{e.title.slice(0, 1)}</View>
            )}
            <Text className="hs-entry__name">{e.title}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

function Rail({ s }: { s: Section }) {
  return (
    <View className="hs-card" data-testid="home-section-rail">
      <View className="hs-card__head">
        <Text className="hs-card__title">{s.title}</Text>
        {s.moreLink && (
          <Text className="hs-card__more" onClick={() => openContentLink(s.moreLink)}>
            更多 ›
          </Text>
        )}
      </View>
      <ScrollView scrollX className="hs-rail">
        {(s.products ?? []).map((p) => (
          <View
            key={p.productId}
            className="hs-rail__item"
            data-testid="home-rail-product"
            onClick={() => void go('product', { id: p.productId })}
          >
            {p.imageUrl ? <Image className="hs-rail__img" src={p.imageUrl} mode="aspectFill" /> : <View className="hs-rail__img" />}
            <Text className="hs-rail__name">{p.title}</Text>
            <Price fen={p.price} size="sm" />
          </View>
        ))}
      </ScrollView>
    </View>
  );
}

/** 首页装修: the operators' banners, topic entries and product rails showing now, in their order. */
export function HomeSections() {
  const sections = useApi(() => api.call('getHomeSections'), [], { refreshOnShow: true });
  const items = sections.data?.items ?? [];
  if (!items.length) return null;
  return (
    <View className="hs" data-testid="home-sections">
      {items.map((s) =>
        s.kind === 'banner' ? (
          <Banner key={s.id} s={s} />
        ) : s.kind === 'topic_entry' ? (
          <Entries key={s.id} s={s} />
        ) : (
          <Rail key={s.id} s={s} />
        ),
      )}
    </View>
  );
}
