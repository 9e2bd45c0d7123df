import { useMemo, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Image, Swiper, SwiperItem, Button } from '@tarojs/components';
import { api, errorText } from '@/api';
import { ensureLogin, isLoggedIn } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { usePolling } from '@/hooks/use-polling';
import { useTaskReporting } from '@/hooks/use-task-reporting';
import { go, pageUrl } from '@/lib/nav';
import { badgeText, cartPieces } from '@/lib/cart-badge';
import {
  initialChoice,
  priceSpan,
  sellable,
  skuOfChoice,
  stockText,
  choiceOf,
  selectedText,
  emptyChoice,
  struckPrice,
  struckFrom,
} from '@/lib/sku';
import { Price } from '@/components/price';
import { PageState } from '@/components/page-state';
import { SkuPicker, type SkuPickerMode } from '@/components/sku-picker';
import { ProductWatch } from '@/components/product-watch';
import { ProductPromotions } from './promotions';
import { ProductDetail } from './detail';
import { ProductReviews } from './reviews';
import './index.css';

/** Errors after which the stock or the SKU on screen is stale: load the product again. */
const STALE_CODES = new Set([
  'cart.insufficient_stock',
  'cart.sku_unavailable',
  'cart.sku_not_found',
  'catalog.insufficient_stock',
  'catalog.sku_not_found',
]);

/** 商品详情 (?id=): pictures, price and promotions, 规格 picker, stock, detail, and 加入购物车 / 立即购买. */
export default function ProductPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const product = useApi(() => api.call('getProduct', { path: { productId: id } }), [id], { refreshOnShow: true, enabled: !!id });
  const promos = useApi(() => api.call('getProductPromotions', { path: { productId: id } }), [id], { refreshOnShow: true, enabled: !!id });
  const deals = useApi(
    async () => {
      const [fs, gb] = await Promise.all([api.call('listFlashSales').catch(() => null), api.call('listGroupBuys').catch(() => null)]);
      return {
        flash: (fs?.items ?? []).filter((s) => s.productId === id && s.status === 'active' && s.state !== 'ended'),
        group: (gb?.items ?? []).filter((g) => g.productId === id && g.state !== 'ended'),
      };
    },
    [id],
    { refreshOnShow: true, enabled: !!id },
  );
  const signedIn = isLoggedIn();
  const cart = useApi(() => api.call('getCart'), [signedIn], { refreshOnShow: true, enabled: signedIn });

  const [skuId, setSkuId] = useState<string | null>(null);
  const [qty, setQty] = useState(1);
  const [picker, setPicker] = useState<SkuPickerMode | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [slide, setSlide] = useState(0);

  const p = product.data;
  const dims = p?.specDims ?? [];
  const skus = p?.skus ?? [];

  // A one-SKU product (or one whose every spec has a single value) is chosen from the start.
  const autoSku = useMemo(() => {
    if (!p) return null;
    const s = skuOfChoice(p.skus, initialChoice(p.specDims, p.skus));
    return s && sellable(s) ? s.id : null;
  }, [p]);
  const chosen = skus.find((s) => s.id === (skuId ?? autoSku)) ?? null;
  const choice = chosen ? choiceOf(dims, skus, chosen.id) : emptyChoice(dims);

  const promoBySku = useMemo(() => {
    const m: Record<string, number> = {};
    for (const s of promos.data?.skus ?? []) if (s.promoPrice < s.price) m[s.skuId] = s.promoPrice;
    return m;
  }, [promos.data]);
  const priceOf = (s: { id: string; price: number }) => promoBySku[s.id] ?? s.price;
  const discount = useMemo(() => {
    const list = (promos.data?.skus ?? []).filter((s) => s.label && s.promoPrice < s.price);
    const hit = (chosen && list.find((s) => s.skuId === chosen.id)) || list[0];
    return hit ? { label: hit.label!, endsAt: hit.endsAt } : null;
  }, [promos.data, chosen]);

  const images = useMemo(() => {
    if (!p) return [];
    const urls = [p.mainImage?.url, ...p.images.map((i) => i?.url), ...p.skus.map((s) => s.image?.url)].filter((u): u is string => !!u);
    return [...new Set(urls)];
  }, [p]);

  // 任务中心: browse time and shares of this page count for the shopper's tasks.
  const { reportShare } = useTaskReporting(id);
  useShareAppMessage(() => {
    reportShare();
    return { title: p?.title ?? '好物推荐', path: pageUrl('product', { id }), imageUrl: images[0] };
  });
  // Live stock: others buy while this page is open; a fresh product every ~15 s while on screen.
  usePolling(product.reload, 15_000, !!p);

  if (!id)
    return (
      <View className="product">
        <PageState empty emptyText="商品不存在或已下架" />
      </View>
    );
  if (!p)
    return (
      <View className="product">
        <PageState loading={product.loading} error={product.error} onRetry={() => void product.reload()} />
      </View>
    );

  const span = priceSpan(skus, choice, priceOf);
  const mainPrice = chosen ? priceOf(chosen) : (span?.min ?? p.minPrice);
  const maxPrice = chosen ? mainPrice : (span?.max ?? p.maxPrice);
  const listPrice = (chosen ? struckPrice(chosen, mainPrice) : struckFrom(skus, choice, priceOf)) ?? 0;
  const stock = chosen ? (sellable(chosen) ? chosen.stock : 0) : skus.reduce((n, s) => n + (sellable(s) ? s.stock : 0), 0);
  const soldOut = !skus.some(sellable);
  const cartCount = badgeText(cartPieces(cart.data));
  const specText = chosen ? [...(choice as string[]), `${qty}件`].join(' ') : selectedText(dims, choice);

  async function addToCart(id: string, n: number) {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      if (!(await ensureLogin())) return;
      const r = await api.call('addCartItem', { body: { skuId: id, quantity: n } });
      cart.setData(r);
      setPicker(null);
      void Taro.showToast({ title: '已加入购物车', icon: 'success' });
    } catch (e) {
      const err = e as { code?: string; details?: { inCart?: number } };
      const inCart = err.code === 'cart.insufficient_stock' ? (err.details?.inCart ?? 0) : 0;
      void Taro.showToast({ title: inCart > 0 ? `库存不足，购物车里已有 ${inCart} 件` : errorText(e), icon: 'none', duration: 2500 });
      if (err.code && STALE_CODES.has(err.code)) void product.reload();
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  function buyNow(id: string, n: number) {
    setPicker(null);
    void go('checkout', { skuId: id, qty: n });
  }

  /** 加入购物车 / 立即购买 from the bottom bar: straight on with a chosen in-stock SKU, else the picker. */
  function act(mode: 'cart' | 'buy') {
    if (soldOut) {
      void Taro.showToast({ title: '商品已售罄', icon: 'none' });
      return;
    }
    if (chosen && sellable(chosen)) {
      if (mode === 'cart') void addToCart(chosen.id, qty);
      else buyNow(chosen.id, qty);
      return;
    }
    setPicker(mode);
  }

  function onConfirm(id: string, n: number) {
    setSkuId(id);
    setQty(n);
    if (picker === 'cart') void addToCart(id, n);
    else if (picker === 'buy') buyNow(id, n);
    else setPicker(null);
  }

  return (
    <View className="product">
      <View className="product__gallery">
        {images.length > 0 ? (
          <Swiper className="product__swiper" circular={images.length > 1} onChange={(e) => setSlide(e.detail.current)}>
            {images.map((u, i) => (
              <SwiperItem key={u}>
                <Image
                  className="product__image"
                  src={u}
                  mode="aspectFill"
                  data-testid="product-image"
                  onClick={() => void Taro.previewImage({ urls: images, current: images[i] })}
                />
              </SwiperItem>
            ))}
          </Swiper>
        ) : (
          <View className="product__image product__image--none">暂无图片</View>
        )}
        {images.length > 1 && (
          <Text className="product__dots">
            {slide + 1}/{images.length}
          </Text>
        )}
      </View>

      <View className="product__card product__summary">
        <View className={`product__price-row${discount ? ' product__price-row--promo' : ''}`}>
          {discount && <Text className="product__price-label">{discount.label}</Text>}
          <View className="product__price" data-testid="product-price">
            <Price fen={mainPrice} size="lg" />
            {maxPrice > mainPrice && (
              <Text className="product__price-max">
                -<Price fen={maxPrice} size="lg" />
              </Text>
            )}
          </View>
          {listPrice > mainPrice && (
            <View className="product__list-price" data-testid="product-list-price">
              <Price fen={listPrice} strike />
            </View>
          )}
          {p.salesCount > 0 && <Text className="product__sales">已售 {p.salesCount}</Text>}
        </View>
        <Text className="product__title" data-testid="product-title">
          {p.title}
        </Text>
        {p.subtitle && <Text className="product__subtitle">{p.subtitle}</Text>}
      </View>

      <ProductPromotions
        promos={promos.data}
        discount={discount}
        flashSales={deals.data?.flash ?? []}
        groupBuys={deals.data?.group ?? []}
        onClaimed={() => void promos.reload()}
      />

      <View className="product__card product__rows">
        <View className="product__row" data-testid="product-spec-open" onClick={() => setPicker('both')}>
          <Text className="product__row-label">{chosen ? '已选' : '选择'}</Text>
          <Text className="product__row-text">{specText}</Text>
          <Text className="product__arrow">›</Text>
        </View>
        <View className="product__row">
          <Text className="product__row-label">库存</Text>
          <Text
            className={`product__row-text${stock > 0 && stock <= 10 ? ' product__row-text--warn' : ''}${stock <= 0 ? ' product__row-text--out' : ''}`}
            data-testid="product-stock"
          >
            {stockText(stock)}
          </Text>
        </View>
      </View>

      <ProductWatch productId={p.id} skus={chosen ? [chosen] : soldOut ? skus : []} />

      <ProductReviews productId={p.id} />

      <ProductDetail product={p} />

      <View className="product__bar">
        <View className="product__bar-icon" data-testid="product-go-cart" onClick={() => void go('cart')}>
          <View className="product__cart-icon">
            <View className="product__cart-basket" />
            <View className="product__cart-wheels" />
            {cartCount && (
              <Text className="product__cart-badge" data-testid="product-cart-count">
                {cartCount}
              </Text>
            )}
          </View>
          <Text className="product__bar-icon-text">购物车</Text>
        </View>
        <View className="product__bar-btns">
          <Button
            className={`product__btn product__btn--cart${soldOut ? ' product__btn--off' : ''}`}
            data-testid="product-add-cart"
            disabled={soldOut || busy || undefined}
            loading={busy && !picker}
            onClick={() => act('cart')}
          >
            {soldOut ? '已售罄' : '加入购物车'}
          </Button>
          <Button
            className={`product__btn product__btn--buy${soldOut ? ' product__btn--off' : ''}`}
            data-testid="product-buy-now"
            disabled={soldOut || undefined}
            onClick={() => act('buy')}
          >
            {soldOut ? '暂时无货' : '立即购买'}
          </Button>
        </View>
      </View>

      {picker && (
        <SkuPicker
          product={p}
          skuId={chosen?.id ?? null}
          quantity={qty}
          mode={picker}
          prices={promoBySku}
          busy={busy}
          onConfirm={onConfirm}
          onClose={() => setPicker(null)}
        />
      )}
    </View>
  );
}
