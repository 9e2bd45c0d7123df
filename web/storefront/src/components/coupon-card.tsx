import type { ReactNode } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { CLAIM_TEXT, claimState, couponCondition, couponFace, couponScope, couponValidity, type CouponTerms } from '@/lib/promo-coupon';
import './coupon-card.css';

export interface CouponCardProps {
  coupon: CouponTerms & { name: string };
  /** a corner tag, e.g. 新人专享 */
  tag?: string;
  /** greyed out (已使用 / 已过期) */
  dim?: boolean;
  /** a stamp over the card: 已领取 / 已使用 / 已过期 */
  stamp?: string;
  /** the button on the right (领取 / 去使用 …) */
  action?: ReactNode;
  testId?: string;
  id?: string;
}

/** One coupon the shop way: the face on the left (¥30 / 9.5折 / 免运费) and its terms on the right. */
export function CouponCard({ coupon, tag, dim = false, stamp, action, testId = 'coupon-card', id }: CouponCardProps) {
  const face = couponFace(coupon);
  const money = face.startsWith('¥');
  // "新人专享 满99减15" under a 新人专享 tag reads "满99减15".
  const name = tag && coupon.name.startsWith(tag) ? coupon.name.slice(tag.length).trim() || coupon.name : coupon.name;
  return (
    <View
      id={id}
      className={`coupon-card${dim ? ' coupon-card--dim' : ''}${stamp && action ? ' coupon-card--stamped' : ''}`}
      data-testid={testId}
    >
      <View className="coupon-card__face">
        <View className="coupon-card__amount" data-testid="coupon-face">
          {money ? (
            <>
              <Text className="coupon-card__sym">¥</Text>
              <Text className="coupon-card__num">{face.slice(1)}</Text>
            </>
          ) : (
            <Text className={`coupon-card__num${face.length >= 3 ? ' coupon-card__num--text' : ''}`}>{face}</Text>
          )}
        </View>
        <Text className="coupon-card__cond" data-testid="coupon-condition">
          {couponCondition(coupon).split(' · ')[0]}
        </Text>
      </View>
      <View className="coupon-card__body">
        <View className="coupon-card__title">
          {tag && <Text className="coupon-card__tag">{tag}</Text>}
          <Text className="coupon-card__name">{name}</Text>
        </View>
        {coupon.kind === 'percent_off' && coupon.maxOff ? (
          <Text className="coupon-card__line">{couponCondition(coupon).split(' · ')[1]}</Text>
        ) : null}
        <Text className="coupon-card__line" data-testid="coupon-scope">
          {couponScope(coupon)}
        </Text>
        <Text className="coupon-card__line coupon-card__valid" data-testid="coupon-validity">
          {couponValidity(coupon)}
        </Text>
      </View>
      {action && <View className="coupon-card__action">{action}</View>}
      {stamp && <Text className="coupon-card__stamp">{stamp}</Text>}
    </View>
  );
}

type Claimable = CouponTerms & {
  name: string;
  templateId: string;
  remaining: number;
  perUserLimit: number;
  claimedByMe: number | null;
  canClaim: boolean | null;
};

/**
 * A coupon of the 领券 lists (coupon centre, campaign page): stamped 已领取 / 已抢光, with 立即领取
 * (再领一张 when the limit allows more) or 去使用. `busyId` is the template being claimed, if any.
 */
export function ClaimableCouponCard<C extends Claimable>({
  coupon: c,
  busyId,
  onClaim,
  onUse,
  testId,
}: {
  coupon: C;
  busyId: string | null;
  onClaim: (c: C) => void;
  onUse: () => void;
  testId?: string;
}) {
  const st = claimState(c);
  const working = busyId === c.templateId;
  return (
    <CouponCard
      coupon={c}
      testId={testId}
      stamp={st === 'claimed' ? CLAIM_TEXT.claimed : st === 'sold_out' ? CLAIM_TEXT.sold_out : undefined}
      dim={st === 'sold_out'}
      action={
        st === 'claimed' ? (
          <Button className="coupon-card__btn coupon-card__btn--ghost" data-testid="coupon-claim" data-state="claimed" onClick={onUse}>
            去使用
          </Button>
        ) : (
          <Button
            className={`coupon-card__btn${st === 'sold_out' ? ' coupon-card__btn--off' : ''}`}
            data-testid="coupon-claim"
            data-state={st}
            disabled={st === 'sold_out' || (busyId !== null && !working) || undefined}
            // a disabled Button still fires on H5
            onClick={() => st !== 'sold_out' && (busyId === null || working) && onClaim(c)}
          >
            {working ? '领取中…' : c.claimedByMe ? '再领一张' : CLAIM_TEXT[st]}
          </Button>
        )
      }
    />
  );
}
