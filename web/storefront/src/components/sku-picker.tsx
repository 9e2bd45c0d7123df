import { useMemo, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image, Button, Input, ScrollView } from '@tarojs/components';
import { Price } from '@/components/price';
import {
  MAX_PER_ORDER,
  clampQuantity,
  initialChoice,
  matchingSkus,
  maxQuantity,
  optionState,
  parseQuantity,
  pickOption,
  priceSpan,
  selectedText,
  sellable,
  skuOfChoice,
  stockOf,
  stockText,
  struckPrice,
  type Choice,
  type SkuLike,
  type SpecDim,
} from '@/lib/sku';
import './sku-picker.css';

export type SkuPickerMode = 'cart' | 'buy' | 'both';

export interface SkuPickerProduct {
  title?: string;
  mainImage?: { url: string } | null;
  specDims: SpecDim[];
  skus: SkuLike[];
}

export interface SkuPickerProps {
  product: SkuPickerProduct;
  /** the SKU chosen so far (its values are pre-selected) */
  skuId?: string | null;
  quantity?: number;
  /** cart: 加入购物车 · buy: 立即购买 · both: 确定 (just choose) */
  mode?: SkuPickerMode;
  /** price to show per SKU id when a promotion lowers it (限时折扣); else the SKU's price */
  prices?: Record<string, number>;
  /** per-order cap on top of the stock */
  limit?: number;
  /** the caller's request is in flight: the confirm button waits */
  busy?: boolean;
  onConfirm: (skuId: string, quantity: number) => void;
  onClose: () => void;
}

const CONFIRM_TEXT: Record<SkuPickerMode, string> = { cart: '加入购物车', buy: '立即购买', both: '确定' };

/** The 规格 bottom sheet: one row of options per spec, the chosen SKU's picture/price/stock, quantity. */
export function SkuPicker({
  product,
  skuId,
  quantity = 1,
  mode = 'both',
  prices,
  limit = MAX_PER_ORDER,
  busy = false,
  onConfirm,
  onClose,
}: SkuPickerProps) {
  const { specDims: dims, skus } = product;
  const [choice, setChoice] = useState<Choice>(() => initialChoice(dims, skus, skuId));
  const sku = skuOfChoice(skus, choice);
  const priceOf = (s: SkuLike) => prices?.[s.id] ?? s.price;

  /** The most the stepper allows now: the chosen SKU's, or the best any matching SKU allows. */
  const maxFor = (c: Choice) => {
    const s = skuOfChoice(skus, c);
    if (s) return maxQuantity(s, limit);
    return matchingSkus(skus, c).reduce((m, x) => Math.max(m, maxQuantity(x, limit)), 0);
  };
  const max = maxFor(choice);
  const [qty, setQty] = useState(() => clampQuantity(quantity, max || 1));
  /** the text being typed ('' while the field is cleared); null shows qty */
  const [typing, setTyping] = useState<string | null>(null);

  const span = useMemo(() => priceSpan(skus, choice, priceOf), [skus, choice, prices]); // eslint-disable-line react-hooks/exhaustive-deps
  const image = sku?.image?.url ?? matchingSkus(skus, choice).find((s) => s.image?.url)?.image?.url ?? product.mainImage?.url;
  const struck = sku ? struckPrice(sku, priceOf(sku)) : null;
  const stock = sku ? (sellable(sku) ? sku.stock : 0) : stockOf(skus, choice);
  const canConfirm = !!sku && sellable(sku) && !busy;

  function pick(dim: number, value: string) {
    const next = pickOption(skus, choice, dim, value);
    if (next === choice) return;
    setChoice(next);
    const m = maxFor(next);
    if (m > 0) setQty((q) => clampQuantity(q, m));
    setTyping(null);
  }

  function setQuantity(n: number) {
    const top = max || 1;
    const c = clampQuantity(n, top);
    if (n > top && max > 0) void Taro.showToast({ title: `最多只能购买 ${top} 件`, icon: 'none' });
    setQty(c);
    setTyping(null);
    return c;
  }

  function onQtyInput(text: string) {
    const n = parseQuantity(text);
    if (n === null) {
      setTyping('');
      return '';
    }
    return String(setQuantity(n));
  }

  function confirm() {
    if (!sku || !canConfirm) return;
    onConfirm(sku.id, clampQuantity(qty, max || 1));
  }

  const preview = () => {
    if (image) void Taro.previewImage({ urls: [image], current: image });
  };

  return (
    <View className="sku-picker" data-testid="sku-picker">
      <View className="sku-picker__mask" onClick={onClose} catchMove />
      <View className="sku-picker__panel">
        <View className="sku-picker__head">
          {image ? (
            <Image className="sku-picker__img" src={image} mode="aspectFill" onClick={preview} />
          ) : (
            <View className="sku-picker__img sku-picker__img--none">暂无图片</View>
          )}
          <View className="sku-picker__info">
            <View className="sku-picker__price" data-testid="sku-price">
              {sku ? (
                <Price fen={priceOf(sku)} size="lg" />
              ) : span ? (
                <>
                  <Price fen={span.min} size="lg" />
                  {span.max > span.min && (
                    <Text className="sku-picker__price-max">
                      -<Price fen={span.max} size="lg" />
                    </Text>
                  )}
                </>
              ) : null}
              {struck !== null && (
                <Text className="sku-picker__list-price">
                  <Price fen={struck} strike />
                </Text>
              )}
            </View>
            <Text className={`sku-picker__stock${stock > 0 && stock <= 10 ? ' sku-picker__stock--low' : ''}`} data-testid="sku-stock">
              {stockText(stock)}
            </Text>
            <Text className="sku-picker__selected" data-testid="sku-selected">
              {selectedText(dims, choice)}
            </Text>
          </View>
          <View className="sku-picker__close" data-testid="sku-close" onClick={onClose}>
            ×
          </View>
        </View>

        <ScrollView className="sku-picker__body" scrollY>
          {dims.map((d, i) => (
            <View className="sku-picker__spec" key={d.name}>
              <Text className="sku-picker__spec-name">{d.name}</Text>
              <View className="sku-picker__options">
                {d.values.map((v) => {
                  const state = optionState(skus, choice, i, v);
                  const soldOut = state === 'selected' && sku !== null && !sellable(sku);
                  return (
                    <View
                      key={v}
                      className={`sku-option sku-option--${state}${soldOut ? ' sku-option--disabled' : ''}`}
                      data-testid="sku-option"
                      data-spec={d.name}
                      data-value={v}
                      onClick={() => pick(i, v)}
                    >
                      {v}
                    </View>
                  );
                })}
              </View>
            </View>
          ))}

          <View className="sku-picker__qty-row">
            <Text className="sku-picker__spec-name sku-picker__qty-label">购买数量</Text>
            {limit < MAX_PER_ORDER && <Text className="sku-picker__qty-hint">每单限购{limit}件</Text>}
            <View className="sku-picker__stepper">
              <View
                className={`sku-picker__step${qty <= 1 ? ' sku-picker__step--off' : ''}`}
                data-testid="sku-qty-minus"
                onClick={() => qty > 1 && setQuantity(qty - 1)}
              >
                −
              </View>
              <Input
                className="sku-picker__qty"
                data-testid="sku-qty"
                type="number"
                value={typing ?? String(qty)}
                onInput={(e) => onQtyInput(e.detail.value)}
                onBlur={() => typing !== null && setQuantity(qty)}
              />
              <View
                className={`sku-picker__step${qty >= Math.max(max, 1) ? ' sku-picker__step--off' : ''}`}
                data-testid="sku-qty-plus"
                onClick={() => setQuantity(qty + 1)}
              >
                +
              </View>
            </View>
          </View>
        </ScrollView>

        <View className="sku-picker__foot">
          <Button
            className={`sku-picker__confirm sku-picker__confirm--${mode}${canConfirm ? '' : ' sku-picker__confirm--off'}`}
            data-testid="sku-confirm"
            disabled={!canConfirm || undefined}
            loading={busy}
            onClick={confirm}
          >
            {sku && !sellable(sku) ? '已售罄' : CONFIRM_TEXT[mode]}
          </Button>
        </View>
      </View>
    </View>
  );
}
