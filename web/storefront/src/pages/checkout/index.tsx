import { useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Input, Button, Switch } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, errorText, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { go, replace } from '@/lib/nav';
import { formatFen } from '@/lib/format';
import { keepsKey } from '@/lib/error-text';
import { merchantLabel } from '@/lib/cart';
import { ADDRESS_PICK_KEY, OrderAttempt, buyNowItems, couponRowText, couponSaving } from '@/lib/checkout';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { AddressCard } from '@/components/address-card';
import { OrderLine } from '@/components/order-line';
import { balanceRowText, pointsRowText } from '@/lib/points';
import { CouponSheet } from './coupon-sheet';
import './index.css';

type Quote = OperationResult<'quoteCheckout'>;
type Address = OperationResult<'getAddress'>;
type ListedAddress = OperationResult<'listAddresses'>['items'][number];

/** Answers after which the order is re-quoted and the shopper told what changed. */
const REQUOTE = new Set([
  'orders.price_changed',
  'orders.promotions_changed',
  'promotions.coupon_not_applicable',
  'promotions.coupon_unavailable',
  'orders.not_orderable',
  'orders.insufficient_stock',
  'members.not_enough_points',
  'members.not_enough_balance',
]);

/** 积分抵扣 and 余额 are listed on their own rows, not among the promotions. */
const STORED_VALUE = new Set(['points', 'balance']);

/** 确认订单: address, lines per shop with every discount and shipping, coupons, note, 提交订单 → pay. */
export default function CheckoutPage() {
  const { params } = useRouter();
  const items = useMemo(() => buyNowItems(params), [params.skuId, params.qty, params.quantity]); // eslint-disable-line react-hooks/exhaustive-deps

  const [addresses, setAddresses] = useState<ListedAddress[] | null>(null);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [address, setAddress] = useState<Address | null>(null);
  const [couponIds, setCouponIds] = useState<string[] | undefined>(undefined);
  const [usePoints, setUsePoints] = useState(false);
  const [useBalance, setUseBalance] = useState(false);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<unknown>(undefined);
  const [quoting, setQuoting] = useState(false);
  const [note, setNote] = useState('');
  const [sheet, setSheet] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const attempt = useRef(new OrderAttempt());
  const quoteSeq = useRef(0);
  const shown = useRef(false);
  const pickedRef = useRef<string | null>(null);

  /** The address book; keeps the chosen address while it exists, else the default (or newest). */
  async function loadAddresses() {
    try {
      const { items: list } = await api.call('listAddresses');
      setAddresses(list);
      setAddressId((cur) => {
        const want = pickedRef.current ?? cur;
        pickedRef.current = null;
        if (want && list.some((a) => a.id === want)) return want;
        return (list.find((a) => a.isDefault) ?? list[0])?.id ?? null;
      });
    } catch (e) {
      setAddresses((cur) => cur ?? []);
      toastError(e);
    }
  }

  useEffect(() => {
    void (async () => {
      if (!(await ensureLogin())) return;
      void loadAddresses();
    })();
  }, []);

  useDidShow(() => {
    // Coming back from the address book: it leaves the picked id in storage.
    const picked = Taro.getStorageSync(ADDRESS_PICK_KEY) as string | '';
    if (picked) {
      Taro.removeStorageSync(ADDRESS_PICK_KEY);
      pickedRef.current = picked;
    }
    if (shown.current) void loadAddresses();
    shown.current = true;
  });

  // The full (unmasked) chosen address for the card.
  useEffect(() => {
    if (!addressId) {
      setAddress(null);
      return;
    }
    let alive = true;
    api
      .call('getAddress', { path: { addressId } })
      .then((a) => alive && setAddress(a))
      .catch(() => alive && setAddress(null));
    return () => {
      alive = false;
    };
  }, [addressId, addresses]);

  async function runQuote(ids: string[] | undefined = couponIds) {
    const n = ++quoteSeq.current;
    setQuoting(true);
    try {
      const q = await api.call('quoteCheckout', {
        body: { items, addressId: addressId ?? undefined, couponIds: ids, usePoints: usePoints ? 'max' : undefined, useBalance },
      });
      if (n !== quoteSeq.current) return;
      setQuote(q);
      setQuoteError(undefined);
      if (ids && q.coupons.issues.length) {
        // A chosen coupon does not apply (any more): say why and keep the ones that do.
        void Taro.showToast({ title: q.coupons.issues[0]!.reason || '优惠券不可用', icon: 'none', duration: 2500 });
        setCouponIds(q.coupons.appliedIds);
      }
    } catch (e) {
      if (n === quoteSeq.current) setQuoteError(e);
    } finally {
      if (n === quoteSeq.current) setQuoting(false);
    }
  }

  // Re-quote whenever the address or the coupons change (once the address book is known).
  const couponKey = couponIds ? couponIds.join(',') : '*';
  useEffect(() => {
    if (addresses === null) return;
    void runQuote();
  }, [addressId, couponKey, usePoints, useBalance, addresses === null]); // eslint-disable-line react-hooks/exhaustive-deps

  async function submit() {
    if (submitting || !quote) return;
    if (!addressId) {
      void Taro.showToast({ title: '请先添加收货地址', icon: 'none' });
      void go('addresses', { select: 1 });
      return;
    }
    if (quote.problems.length) {
      void Taro.showToast({ title: '部分商品暂不能购买，请返回修改', icon: 'none' });
      return;
    }
    const body = {
      ...(items ? { items } : {}),
      addressId,
      buyerNote: note.trim(),
      couponIds: quote.coupons.appliedIds,
      // The exact points the quote used, so the order spends what the shopper saw (or is re-quoted).
      ...(quote.points.used > 0 ? { usePoints: quote.points.used } : {}),
      ...(quote.balance.used > 0 ? { useBalance: true } : {}),
      expectedPayableTotal: quote.payableTotal,
    };
    const key = attempt.current.keyFor(body);
    setSubmitting(true);
    try {
      const r = await api.call('createOrder', { body, headers: { 'Idempotency-Key': key } });
      attempt.current.settle();
      const first = r.orders[0];
      if (!first) throw new Error('no order');
      void replace('pay', { orderId: first.id, n: r.orders.length > 1 ? r.orders.length : undefined });
    } catch (e) {
      if (!keepsKey(e)) attempt.current.settle();
      const code = (e as { code?: string }).code ?? '';
      if (REQUOTE.has(code)) {
        setNotice(
          code === 'orders.price_changed' || code === 'orders.promotions_changed' ? `${errorText(e)}，已为你更新价格` : errorText(e),
        );
        const ids = code.startsWith('promotions.') ? undefined : couponIds;
        if (code.startsWith('promotions.')) setCouponIds(undefined);
        await runQuote(ids);
      } else if (code === 'addresses.not_found') {
        setAddressId(null);
        void loadAddresses();
      }
      toastError(e);
    } finally {
      setSubmitting(false);
    }
  }

  if (!quote) {
    // Opened with nothing selected in the cart (or all of it bought meanwhile): a retry cannot help.
    const nothing = (quoteError as { code?: string } | undefined)?.code === 'orders.empty_checkout';
    return (
      <View className="checkout">
        {nothing ? (
          <PageState empty emptyText="没有要结算的商品" emptyAction={{ text: '去购物车', onClick: () => void go('cart') }} />
        ) : (
          <PageState loading={quoting || addresses === null} error={quoteError} onRetry={() => void runQuote()} />
        )}
      </View>
    );
  }

  const saving = couponSaving(quote.groups);
  const couponRow = couponRowText(quote.coupons, saving);
  const pieces = quote.groups.reduce((n, g) => n + g.lines.reduce((m, l) => m + l.quantity, 0), 0);
  const blocked = quote.problems.length > 0 || pieces === 0;
  // discountTotal holds points and balance too; they have rows of their own.
  const promoSaving = quote.discountTotal - quote.points.amount - quote.balance.used + quote.shippingDiscountTotal;

  return (
    <View className="checkout">
      {notice && (
        <View className="checkout__notice" data-testid="checkout-notice" onClick={() => setNotice(null)}>
          <Text>{notice}</Text>
        </View>
      )}
      <View className="checkout__address">
        {address ? (
          <AddressCard
            address={address}
            isDefault={address.isDefault}
            arrow
            stripe
            testId="checkout-address"
            onClick={() => void go('addresses', { select: 1 })}
          />
        ) : addresses && addresses.length === 0 ? (
          <View className="checkout__address-empty checkout__address-empty--none">
            <Text className="checkout__address-empty-text">还没有收货地址，添加后才能下单哦</Text>
            <Button
              className="checkout__address-add"
              data-testid="checkout-address-add"
              onClick={() => void go('addresses', { select: 1 })}
            >
              + 新建收货地址
            </Button>
          </View>
        ) : (
          <View className="checkout__address-empty" data-testid="checkout-address" onClick={() => void go('addresses', { select: 1 })}>
            <Text className="checkout__address-empty-text">{addressId ? '地址加载中…' : '请选择收货地址'}</Text>
            <Text className="checkout__arrow">›</Text>
          </View>
        )}
      </View>

      {quote.problems.length > 0 && (
        <View className="checkout__problems" data-testid="checkout-problems">
          {[...new Set(quote.problems.map((p) => errorText({ code: p.code })))].map((t) => (
            <Text key={t} className="checkout__problem">
              {t}，已从本单中移除
            </Text>
          ))}
          <Text className="checkout__problem-sub">请返回购物车修改后再提交</Text>
        </View>
      )}

      {quote.groups.map((g) => (
        <View key={g.merchantId} className="checkout__card" data-testid="checkout-group">
          <Text className="checkout__shop">{merchantLabel(g.merchantId)}</Text>
          {g.lines.map((l) => (
            <OrderLine
              key={l.skuId}
              testId="checkout-line"
              imageUrl={l.imageUrl}
              title={l.title}
              specKey={l.specKey}
              unitPrice={l.unitPrice}
              quantity={l.quantity}
            />
          ))}
          <View className="checkout__rows">
            <View className="checkout__row">
              <Text className="checkout__row-label">商品金额</Text>
              <Text className="checkout__row-value">{formatFen(g.goodsTotal)}</Text>
            </View>
            {g.discounts
              .filter((d) => !STORED_VALUE.has(d.source))
              .map((d, i) => (
                <View
                  key={`${d.source}-${d.sourceId ?? i}`}
                  className="checkout__row"
                  data-testid="checkout-discount"
                  data-source={d.source}
                >
                  <Text className="checkout__row-label">
                    <Text className="checkout__tag">
                      {d.source === 'coupon' || d.source === 'shipping_coupon' ? '券' : d.source.startsWith('member_') ? '会' : '促'}
                    </Text>
                    {d.label}
                  </Text>
                  <Text className="checkout__row-value checkout__row-value--red">-{formatFen(d.amount)}</Text>
                </View>
              ))}
            <View className="checkout__row" data-testid="checkout-shipping">
              <Text className="checkout__row-label">运费</Text>
              <Text className="checkout__row-value">
                {!addressId ? g.shipping.reason || '选择收货地址后计算' : g.shipping.fee === 0 ? '包邮' : formatFen(g.shipping.fee)}
              </Text>
            </View>
            {addressId && g.shipping.fee > 0 && g.shipping.reason && g.shipping.discount === 0 ? (
              <Text className="checkout__ship-reason">{g.shipping.reason}</Text>
            ) : null}
            {addressId && g.shipping.fee === 0 && g.shipping.reason.includes('会员') ? (
              <Text className="checkout__ship-reason" data-testid="checkout-member-shipping">
                {g.shipping.reason}
              </Text>
            ) : null}
            {quote.groups.length > 1 && (
              <View className="checkout__row checkout__row--sub">
                <Text className="checkout__row-label">小计</Text>
                <Price fen={g.payableTotal} size="sm" />
              </View>
            )}
          </View>
        </View>
      ))}

      <View className="checkout__card">
        <View className="checkout__row" data-testid="checkout-points">
          <View className="checkout__row-label checkout__stored">
            <Text>积分抵扣</Text>
            <Text className="checkout__stored-sub" data-testid="checkout-points-text">
              {pointsRowText(quote.points)}
            </Text>
          </View>
          <Switch
            className="checkout__switch"
            data-testid="checkout-points-switch"
            checked={usePoints && quote.points.used > 0}
            disabled={!quote.points.usable || quoting}
            color="#e4393c"
            onChange={(e) => setUsePoints(Boolean(e.detail.value))}
          />
        </View>
        <View className="checkout__row" data-testid="checkout-balance">
          <View className="checkout__row-label checkout__stored">
            <Text>余额</Text>
            <Text className="checkout__stored-sub" data-testid="checkout-balance-text">
              {balanceRowText(quote.balance)}
            </Text>
          </View>
          <Switch
            className="checkout__switch"
            data-testid="checkout-balance-switch"
            checked={useBalance && quote.balance.used > 0}
            disabled={quote.balance.maxAmount <= 0 || quoting}
            color="#e4393c"
            onChange={(e) => setUseBalance(Boolean(e.detail.value))}
          />
        </View>
        <View className="checkout__row checkout__row--tap" data-testid="checkout-coupons" onClick={() => setSheet(true)}>
          <Text className="checkout__row-label">优惠券</Text>
          <View className="checkout__row-right">
            <Text
              className={`checkout__coupon-text${couponRow.active ? ' checkout__coupon-text--on' : couponRow.text === '无可用' ? ' checkout__coupon-text--none' : ' checkout__coupon-text--avail'}`}
            >
              {couponRow.text}
            </Text>
            <Text className="checkout__arrow">›</Text>
          </View>
        </View>
        {quote.hints.map((h) => (
          <Text key={h.ruleId} className="checkout__hint">
            {h.label} · {h.message}
          </Text>
        ))}
        <View className="checkout__row checkout__row--note">
          <Text className="checkout__row-label">订单备注</Text>
          <Input
            className="checkout__note"
            data-testid="checkout-note"
            value={note}
            maxlength={200}
            placeholder="选填，请先和商家协商一致"
            onInput={(e) => setNote(e.detail.value)}
          />
        </View>
      </View>

      <View className="checkout__card checkout__sum">
        <View className="checkout__row">
          <Text className="checkout__row-label">商品总额</Text>
          <Text className="checkout__row-value">{formatFen(quote.goodsTotal)}</Text>
        </View>
        <View className="checkout__row">
          <Text className="checkout__row-label">运费</Text>
          <Text className="checkout__row-value">
            {!addressId
              ? '选择地址后计算'
              : quote.shippingTotal + quote.shippingDiscountTotal === 0
                ? '包邮'
                : formatFen(quote.shippingTotal + quote.shippingDiscountTotal)}
          </Text>
        </View>
        {promoSaving > 0 && (
          <View className="checkout__row">
            <Text className="checkout__row-label">共优惠</Text>
            <Text className="checkout__row-value checkout__row-value--red">-{formatFen(promoSaving)}</Text>
          </View>
        )}
        {quote.points.amount > 0 && (
          <View className="checkout__row" data-testid="checkout-points-line">
            <Text className="checkout__row-label">积分抵扣（{quote.points.used}积分）</Text>
            <Text className="checkout__row-value checkout__row-value--red">-{formatFen(quote.points.amount)}</Text>
          </View>
        )}
        {quote.balance.used > 0 && (
          <View className="checkout__row" data-testid="checkout-balance-line">
            <Text className="checkout__row-label">余额支付</Text>
            <Text className="checkout__row-value checkout__row-value--red">-{formatFen(quote.balance.used)}</Text>
          </View>
        )}
        {quote.groups.length > 1 && (
          <Text className="checkout__split">
            商品来自{quote.groups.length}个店铺，将拆分为{quote.groups.length}个订单，一次支付
          </Text>
        )}
      </View>

      <View className="checkout__spacer" />
      <View className="checkout__bar">
        <Text className="checkout__bar-count">共{pieces}件</Text>
        <Text className="checkout__bar-label">应付：</Text>
        <Price fen={quote.payableTotal} size="lg" testId="checkout-payable" />
        <Button
          className={`checkout__submit${blocked || quoting ? ' checkout__submit--off' : ''}`}
          data-testid="checkout-submit"
          disabled={blocked || submitting || undefined}
          onClick={() => void submit()}
        >
          {submitting ? '提交中…' : '提交订单'}
        </Button>
      </View>

      {sheet && (
        <CouponSheet
          coupons={quote.coupons}
          onClose={() => setSheet(false)}
          onConfirm={(ids) => {
            setSheet(false);
            setNotice(null);
            setCouponIds(ids);
          }}
        />
      )}
      {quoting && <View className="checkout__quoting">计算中…</View>}
    </View>
  );
}
