import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import type { Loaded } from '@/hooks/use-api';
import { AttemptKeys } from '@/lib/promo-keys';
import { keepsKey, promoOutcome } from '@/lib/error-text';

export type Claimable = OperationResult<'listClaimableCoupons'>['items'][number];

export interface ClaimCoupon {
  /** the templateId (or other scope) whose request is in flight, null when idle */
  busyId: string | null;
  /** claims one coupon-centre coupon: signs in first, one Idempotency-Key per attempt, patches the row */
  claim: (c: Claimable) => Promise<void>;
  /** runs another write under the same one-at-a-time lock (e.g. redeeming a code) */
  withBusy: (id: string, fn: () => Promise<void>) => Promise<void>;
  /** the attempt keys (scoped per templateId, or per `code:…`) */
  keys: AttemptKeys;
}

/**
 * The 领取 flow of the coupon centre, shared by the coupons page and the campaign page. `list` is
 * the listClaimableCoupons answer the cards come from: a claim patches its row at once (已领取 /
 * 已抢光) and reloads it.
 */
export function useClaimCoupon<T extends { items: Claimable[] }>(list: Loaded<T>): ClaimCoupon {
  const [busyId, setBusyId] = useState<string | null>(null);
  const busy = useRef(false);
  const keys = useRef(new AttemptKeys('cpn'));

  /** Patches one coupon-centre row locally (the reload that follows confirms it). */
  const patch = (templateId: string, f: (c: Claimable) => Claimable) => {
    if (list.data) list.setData({ ...list.data, items: list.data.items.map((c) => (c.templateId === templateId ? f(c) : c)) });
  };

  async function withBusy(id: string, fn: () => Promise<void>) {
    if (busy.current) return;
    busy.current = true;
    setBusyId(id);
    try {
      await fn();
    } finally {
      busy.current = false;
      setBusyId(null);
    }
  }

  const claim = (c: Claimable) =>
    withBusy(c.templateId, async () => {
      try {
        if (!(await ensureLogin())) return;
        await api.call('claimCoupon', {
          body: { templateId: c.templateId },
          headers: { 'Idempotency-Key': keys.current.keyFor(c.templateId) },
        });
        keys.current.settle(c.templateId);
        const held = (c.claimedByMe ?? 0) + 1;
        patch(c.templateId, (x) => ({
          ...x,
          claimedByMe: held,
          canClaim: held < x.perUserLimit && x.remaining > 1,
          remaining: Math.max(0, x.remaining - 1),
        }));
        void Taro.showToast({ title: '领取成功', icon: 'success' });
        void list.reload();
      } catch (e) {
        if (!keepsKey(e)) keys.current.settle(c.templateId);
        const o = promoOutcome(e);
        if (o === 'limit')
          patch(c.templateId, (x) => ({ ...x, claimedByMe: Math.max(x.claimedByMe ?? 0, x.perUserLimit), canClaim: false }));
        if (o === 'sold_out') patch(c.templateId, (x) => ({ ...x, remaining: 0, canClaim: false }));
        if (o === 'sold_out' || o === 'ended' || o === 'not_found') void list.reload();
        toastError(e);
      }
    });

  return { busyId, claim, withBusy, keys: keys.current };
}
