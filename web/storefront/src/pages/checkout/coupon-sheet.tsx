import { useState } from 'react';
import { View, Text, ScrollView, Button } from '@tarojs/components';
import { formatTime } from '@/lib/format';
import './sheet.css';
import { couponCondition, couponFace } from '@/lib/promo-coupon';
import { sortCouponOptions, toggleCoupon, type CouponOptionLike, type QuoteCouponsLike } from '@/lib/checkout';

interface Props {
  coupons: QuoteCouponsLike;
  onClose: () => void;
  /** the coupons to use ([] for none) */
  onConfirm: (ids: string[]) => void;
}

/** The coupon picker at checkout: usable coupons to tick (one per slot), the others greyed with why. */
export function CouponSheet({ coupons, onClose, onConfirm }: Props) {
  const [chosen, setChosen] = useState<string[]>(coupons.appliedIds);
  const { usable, unusable } = sortCouponOptions(coupons.options);
  const none = chosen.length === 0;

  const option = (c: CouponOptionLike, enabled: boolean) => {
    const face = { value: couponFace(c), condition: couponCondition(c) };
    const on = chosen.includes(c.couponId);
    return (
      <View
        key={c.couponId}
        className={`coupon-opt${enabled ? '' : ' coupon-opt--off'}${on ? ' coupon-opt--on' : ''}`}
        data-testid="checkout-coupon-option"
        data-coupon-id={c.couponId}
        data-usable={enabled ? '1' : '0'}
        data-selected={on ? '1' : '0'}
        onClick={() => enabled && setChosen((cur) => toggleCoupon(cur, c, coupons.options))}
      >
        <View className="coupon-opt__face">
          <Text className="coupon-opt__value">{face.value}</Text>
          <Text className="coupon-opt__cond">{face.condition}</Text>
        </View>
        <View className="coupon-opt__body">
          <Text className="coupon-opt__name">{c.name}</Text>
          <Text className="coupon-opt__valid">有效期至 {formatTime(c.validTo, { year: true }).slice(0, 10)}</Text>
          {!enabled && c.reason ? <Text className="coupon-opt__reason">{c.reason}</Text> : null}
          {enabled && c.suggested && !on ? <Text className="coupon-opt__best">推荐使用</Text> : null}
        </View>
        {enabled && <View className={`coupon-opt__check${on ? ' coupon-opt__check--on' : ''}`} />}
      </View>
    );
  };

  return (
    <View className="sheet" catchMove>
      <View className="sheet__mask" onClick={onClose} />
      <View className="sheet__panel" data-testid="checkout-coupon-sheet">
        <View className="sheet__head">
          <Text className="sheet__title">优惠券</Text>
          <Text className="sheet__close" onClick={onClose}>
            ×
          </Text>
        </View>
        <ScrollView className="sheet__body" scrollY>
          <Text className="sheet__section">可用优惠券（{usable.length}）</Text>
          {usable.length === 0 && <Text className="sheet__empty">暂无可用的优惠券</Text>}
          {usable.map((c) => option(c, true))}
          <View className={`coupon-none${none ? ' coupon-none--on' : ''}`} data-testid="checkout-coupon-none" onClick={() => setChosen([])}>
            <Text className="coupon-none__text">不使用优惠券</Text>
            <View className={`coupon-opt__check${none ? ' coupon-opt__check--on' : ''}`} />
          </View>
          {unusable.length > 0 && <Text className="sheet__section">不可用优惠券（{unusable.length}）</Text>}
          {unusable.map((c) => option(c, false))}
        </ScrollView>
        <View className="sheet__foot">
          <Button className="sheet__confirm" data-testid="checkout-coupon-confirm" onClick={() => onConfirm(chosen)}>
            确定
          </Button>
        </View>
      </View>
    </View>
  );
}
