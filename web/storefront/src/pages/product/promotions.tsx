import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api } from '@/api';
import { ensureLogin } from '@/api/session';
import { go } from '@/lib/nav';
import { formatFen, formatTime } from '@/lib/format';
import { AttemptKeys } from '@/lib/promo-keys';
import { errorText, keepsKey, promoOutcome } from '@/lib/error-text';
import { CLAIM_TEXT, claimState, couponCondition, couponScope, type ClaimState } from '@/lib/promo-coupon';

export type Promotions = OperationResult<'getProductPromotions'>;
type Coupon = Promotions['coupons'][number];
export type FlashSale = OperationResult<'listFlashSales'>['items'][number];
export type GroupBuy = OperationResult<'listGroupBuys'>['items'][number];

interface Props {
  promos: Promotions | undefined;
  /** 限时折扣 label and end of the shown SKU (or of the product when none is chosen) */
  discount: { label: string; endsAt: string | null } | null;
  flashSales: FlashSale[];
  groupBuys: GroupBuy[];
  /** after a claim: fresh claimedByMe / remaining */
  onClaimed: () => void;
}

const RULE_TAG: Record<Promotions['rules'][number]['kind'], string> = { full_reduction: '满减', full_discount: '满折' };

/** The promotion card: 限时折扣 and 满减/满折 tags, coupons to claim (领取), flash-sale and group-buy entries. */
export function ProductPromotions({ promos, discount, flashSales, groupBuys, onClaimed }: Props) {
  const keys = useRef(new AttemptKeys('cp'));
  const [busy, setBusy] = useState<string | null>(null);
  /** claims made on this page, until the next promotions answer says so too */
  const [marks, setMarks] = useState<Partial<Record<string, 'claimed' | 'sold_out'>>>({});

  const rules = promos?.rules ?? [];
  const coupons = promos?.coupons ?? [];
  if (!discount && rules.length === 0 && coupons.length === 0 && flashSales.length === 0 && groupBuys.length === 0) return null;

  const stateOf = (c: Coupon): ClaimState => marks[c.templateId] ?? claimState(c);

  async function claim(c: Coupon) {
    if (busy || stateOf(c) !== 'claimable') return;
    setBusy(c.templateId);
    try {
      if (!(await ensureLogin())) return;
      await api.call('claimCoupon', {
        body: { templateId: c.templateId },
        headers: { 'Idempotency-Key': keys.current.keyFor(c.templateId) },
      });
      keys.current.settle(c.templateId);
      if (c.perUserLimit <= (c.claimedByMe ?? 0) + 1) setMarks((m) => ({ ...m, [c.templateId]: 'claimed' }));
      void Taro.showToast({ title: '领取成功', icon: 'success' });
      onClaimed();
    } catch (e) {
      if (!keepsKey(e)) keys.current.settle(c.templateId);
      const o = promoOutcome(e);
      if (o === 'limit') setMarks((m) => ({ ...m, [c.templateId]: 'claimed' }));
      if (o === 'sold_out') setMarks((m) => ({ ...m, [c.templateId]: 'sold_out' }));
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
    } finally {
      setBusy(null);
    }
  }

  return (
    <View className="product__card product__promos" data-testid="product-promotions">
      {(discount || rules.length > 0) && (
        <View className="product__promo-row">
          <Text className="product__promo-label">促销</Text>
          <View className="product__promo-body">
            {discount && (
              <View className="product__promo-line" data-testid="product-promo-discount">
                <Text className="product__tag">限时折扣</Text>
                <Text className="product__promo-text">
                  {discount.label}
                  {discount.endsAt ? ` · ${formatTime(discount.endsAt)} 结束` : ''}
                </Text>
              </View>
            )}
            {rules.map((r) => (
              <View key={r.ruleId} className="product__promo-line" data-testid="product-promo-rule">
                <Text className="product__tag">{RULE_TAG[r.kind]}</Text>
                <Text className="product__promo-text">{r.label}</Text>
              </View>
            ))}
          </View>
        </View>
      )}

      {coupons.length > 0 && (
        <View className="product__promo-row">
          <Text className="product__promo-label">领券</Text>
          <View className="product__promo-body">
            {coupons.map((c) => {
              const st = stateOf(c);
              return (
                <View key={c.templateId} className="product__coupon" data-testid="product-coupon" data-template-id={c.templateId}>
                  <View className="product__coupon-info">
                    <Text className="product__coupon-face">{c.label}</Text>
                    <Text className="product__coupon-cond">
                      {couponCondition(c)} · {couponScope(c)}
                    </Text>
                  </View>
                  <Button
                    className={`product__coupon-claim product__coupon-claim--${st}`}
                    data-testid="product-coupon-claim"
                    disabled={st !== 'claimable' || busy === c.templateId || undefined}
                    loading={busy === c.templateId}
                    onClick={() => void claim(c)}
                  >
                    {st === 'claimable' ? '领取' : CLAIM_TEXT[st]}
                  </Button>
                </View>
              );
            })}
          </View>
        </View>
      )}

      {flashSales.map((s) => (
        <View
          key={s.id}
          className="product__promo-row product__promo-row--link"
          data-testid="product-flash-sale"
          onClick={() => void go('flashSale', { id: s.id })}
        >
          <Text className="product__promo-label">秒杀</Text>
          <View className="product__promo-body product__promo-body--link">
            <Text className="product__tag product__tag--solid">{s.state === 'live' ? '抢购中' : '即将开抢'}</Text>
            <Text className="product__promo-text">
              秒杀价 {formatFen(s.salePrice)}
              {s.state === 'live' ? ` · ${formatTime(s.endsAt)} 结束` : ` · ${formatTime(s.startsAt)} 开抢`}
            </Text>
          </View>
          <Text className="product__arrow">›</Text>
        </View>
      ))}

      {groupBuys.map((g) => (
        <View
          key={g.id}
          className="product__promo-row product__promo-row--link"
          data-testid="product-group-buy"
          onClick={() => void go('groupBuy', { id: g.id })}
        >
          <Text className="product__promo-label">拼团</Text>
          <View className="product__promo-body product__promo-body--link">
            <Text className="product__tag product__tag--solid">{g.groupSize}人团</Text>
            <Text className="product__promo-text">
              拼团价 {formatFen(g.groupPrice)}
              {g.state === 'live' ? ' · 去拼团' : ` · ${formatTime(g.startsAt)} 开团`}
            </Text>
          </View>
          <Text className="product__arrow">›</Text>
        </View>
      ))}
    </View>
  );
}
