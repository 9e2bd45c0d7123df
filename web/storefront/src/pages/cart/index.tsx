import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { formatFen } from '@/lib/format';
import {
  MAX_LINE_QTY,
  allSelected,
  groupSelection,
  lineState,
  merchantLabel,
  selectableIds,
  selectionKey,
  staleSelectedIds,
  unavailableIds,
} from '@/lib/cart';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import './index.css';

type Cart = Awaited<ReturnType<typeof loadCart>>;
type Line = Cart['groups'][number]['lines'][number];
const loadCart = () => api.call('getCart');

/** 购物车 (tab): lines per shop with live price/stock, tick, quantity, delete, and 结算. */
export default function CartPage() {
  const [signedIn, setSignedIn] = useState(isLoggedIn);
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  useDidShow(() => setSignedIn(isLoggedIn()));

  const cart = useApi(loadCart, [signedIn], { refreshOnShow: true, enabled: signedIn });
  const data = signedIn ? cart.data : undefined;
  const [busyId, setBusyId] = useState<string | null>(null);
  const busy = useRef(false);

  // 合计 after promotions and the best coupons (before shipping): a quote of the selected lines.
  const key = data ? selectionKey(data) : '';
  const [quote, setQuote] = useState<{ key: string; goods: number; discount: number } | null>(null);
  useEffect(() => {
    if (!data || !key) return;
    let alive = true;
    api
      .call('quoteCheckout', { body: {} })
      .then((q) => alive && setQuote({ key, goods: q.goodsTotal, discount: q.discountTotal }))
      .catch(() => alive && setQuote(null));
    return () => {
      alive = false;
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  /** One write at a time; the answer is the new cart. A refusal (库存不足…) is shown and the cart reloaded. */
  async function write(id: string, fn: () => Promise<Cart>) {
    if (busy.current) return;
    busy.current = true;
    setBusyId(id);
    try {
      cart.setData(await fn());
    } catch (e) {
      toastError(e);
      await cart.reload();
    } finally {
      busy.current = false;
      setBusyId(null);
    }
  }

  const setQty = (l: Line, q: number) => {
    const st = lineState(l);
    if (q < st.minQty) return;
    if (q > MAX_LINE_QTY) {
      void Taro.showToast({ title: `最多只能购买${MAX_LINE_QTY}件`, icon: 'none' });
      return;
    }
    // Stock is the server's to check (it moves): its refusal (库存不足) is shown and the cart reloaded.
    void write(l.itemId, () => api.call('updateCartItem', { path: { itemId: l.itemId }, body: { quantity: q } }));
  };

  const toggle = (l: Line) => {
    const st = lineState(l);
    // A stale tick on a line that can no longer be bought may always be removed.
    if (!st.selectable && !l.selected) {
      void Taro.showToast({ title: st.badge ? `${st.badge}，暂不能购买` : '暂不能购买', icon: 'none' });
      return;
    }
    void write(l.itemId, () => api.call('updateCartItem', { path: { itemId: l.itemId }, body: { selected: !l.selected } }));
  };

  const toggleGroup = (lines: Line[]) => {
    const g = groupSelection(lines);
    if (!g.ids.length) return;
    void write('group', () => api.call('selectCartItems', { body: { itemIds: g.ids, selected: !g.all } }));
  };

  const toggleAll = () => {
    if (!data) return;
    if (allSelected(data)) void write('all', () => api.call('selectCartItems', { body: { selected: false } }));
    else {
      const ids = selectableIds(data);
      if (ids.length) void write('all', () => api.call('selectCartItems', { body: { itemIds: ids, selected: true } }));
    }
  };

  const remove = async (l: Line) => {
    const r = await Taro.showModal({ title: '删除商品', content: '确定要删除这件商品吗？', confirmText: '删除', confirmColor: '#e4393c' });
    if (r.confirm) void write(l.itemId, () => api.call('removeCartItem', { path: { itemId: l.itemId } }));
  };

  const clearUnavailable = async () => {
    if (!data) return;
    const ids = unavailableIds(data);
    if (!ids.length) return;
    const r = await Taro.showModal({
      title: '清空失效商品',
      content: `确定删除${ids.length}件已下架或售罄的商品吗？`,
      confirmText: '清空',
      confirmColor: '#e4393c',
    });
    if (!r.confirm) return;
    void write('clear', async () => {
      let last: Cart | undefined;
      for (const itemId of ids) last = await api.call('removeCartItem', { path: { itemId } });
      return last ?? loadCart();
    });
  };

  const checkout = async () => {
    if (!data || data.selectedLineCount === 0 || busy.current) return;
    const stale = staleSelectedIds(data);
    if (stale.length) {
      // Checkout takes every ticked line; untick the ones that cannot be bought any more.
      try {
        cart.setData(await api.call('selectCartItems', { body: { itemIds: stale, selected: false } }));
      } catch (e) {
        toastError(e);
        return;
      }
    }
    void go('checkout');
  };

  if (!signedIn)
    return (
      <View className="cart">
        <View className="cart__login" data-testid="cart-login">
          <Text className="cart__login-title">登录后查看购物车</Text>
          <Text className="cart__login-sub">加入购物车的商品会同步保存在账号里</Text>
          <Button
            className="cart__login-btn"
            data-testid="cart-login-btn"
            onClick={() => void ensureLogin().then((ok) => ok && setSignedIn(true), toastError)}
          >
            登录
          </Button>
        </View>
      </View>
    );

  if (!data) return <PageState loading={cart.loading} error={cart.error} onRetry={() => void cart.reload()} />;

  if (data.lineCount === 0)
    return (
      <View className="cart">
        <View className="cart__empty" data-testid="cart-empty">
          <View className="cart__empty-icon">
            <Text className="cart__empty-icon-text">车</Text>
          </View>
          <Text className="cart__empty-title">购物车还是空的</Text>
          <Text className="cart__empty-sub">去挑几件喜欢的好物吧</Text>
          <Button className="cart__empty-btn" data-testid="cart-go-shopping" onClick={() => void go('home')}>
            去逛逛
          </Button>
        </View>
      </View>
    );

  const all = allSelected(data);
  const fresh = quote && quote.key === key && data.selectedLineCount > 0;
  const total = fresh ? quote.goods - quote.discount : data.selectedGoodsTotal;
  const hasUnavailable = unavailableIds(data).length > 0;

  return (
    <View className="cart">
      <View className="cart__head">
        <Text className="cart__head-count">共{data.lineCount}件商品</Text>
        {hasUnavailable && (
          <Text className="cart__head-clear" data-testid="cart-clear-unavailable" onClick={() => void clearUnavailable()}>
            清空失效商品
          </Text>
        )}
      </View>
      {data.groups.map((g) => {
        const gs = groupSelection(g.lines);
        return (
          <View key={g.merchantId} className="cart__group">
            <View className="cart__group-head" onClick={() => toggleGroup(g.lines)}>
              <View className={`cart__check${gs.all ? ' cart__check--on' : ''}${gs.ids.length ? '' : ' cart__check--off'}`} />
              <Text className="cart__shop">{merchantLabel(g.merchantId)}</Text>
            </View>
            {g.lines.map((l) => {
              const st = lineState(l);
              const lineBusy = busyId === l.itemId;
              return (
                <View
                  key={l.itemId}
                  className={`cart-item${st.unavailable ? ' cart-item--unavailable' : ''}`}
                  data-testid="cart-item"
                  data-sku-id={l.skuId}
                >
                  <View
                    className="cart-item__check-area"
                    data-testid="cart-item-check"
                    data-selected={l.selected ? '1' : '0'}
                    onClick={() => toggle(l)}
                  >
                    <View
                      className={`cart__check${l.selected ? ' cart__check--on' : ''}${st.selectable || l.selected ? '' : ' cart__check--off'}`}
                    />
                  </View>
                  <View className="cart-item__pic" onClick={() => void go('product', { id: l.productId })}>
                    {l.imageUrl ? (
                      <Image className="cart-item__img" src={l.imageUrl} mode="aspectFill" lazyLoad />
                    ) : (
                      <View className="cart-item__img" />
                    )}
                    {st.unavailable && <Text className="cart-item__mask">{st.badge}</Text>}
                  </View>
                  <View className="cart-item__body">
                    <Text className="cart-item__title" onClick={() => void go('product', { id: l.productId })}>
                      {l.title}
                    </Text>
                    {l.specKey ? <Text className="cart-item__spec">{l.specKey.replace(/\//g, '；')}</Text> : null}
                    {st.badge && !st.unavailable ? <Text className="cart-item__badge">{st.badge}</Text> : null}
                    {st.priceNote ? <Text className="cart-item__note">{st.priceNote}</Text> : null}
                    <View className="cart-item__foot">
                      <Price fen={l.unitPrice} size="md" />
                      {st.unavailable ? (
                        <Text className="cart-item__gone">{l.offSale ? '商品已不能购买' : '补货中'}</Text>
                      ) : (
                        <View className={`cart-item__stepper${lineBusy ? ' cart-item__stepper--busy' : ''}`}>
                          <View
                            className={`cart-item__step${l.quantity <= st.minQty ? ' cart-item__step--off' : ''}`}
                            data-testid="cart-qty-minus"
                            onClick={() => setQty(l, l.quantity - 1)}
                          >
                            −
                          </View>
                          <Text className="cart-item__qty" data-testid="cart-qty">
                            {l.quantity}
                          </Text>
                          <View
                            className={`cart-item__step${l.quantity >= MAX_LINE_QTY ? ' cart-item__step--off' : ''}`}
                            data-testid="cart-qty-plus"
                            onClick={() => setQty(l, l.quantity + 1)}
                          >
                            +
                          </View>
                        </View>
                      )}
                    </View>
                  </View>
                  <Text className="cart-item__remove" data-testid="cart-item-remove" onClick={() => void remove(l)}>
                    删除
                  </Text>
                </View>
              );
            })}
          </View>
        );
      })}
      <View className="cart__spacer" />
      <View className="cart__bar">
        <View className="cart__all" data-testid="cart-check-all" data-selected={all ? '1' : '0'} onClick={toggleAll}>
          <View className={`cart__check${all ? ' cart__check--on' : ''}`} />
          <Text className="cart__all-text">全选</Text>
        </View>
        <View className="cart__sum">
          <View className="cart__sum-line">
            <Text className="cart__sum-label">合计：</Text>
            <Price fen={total} size="md" testId="cart-total" />
          </View>
          {fresh && quote.discount > 0 ? (
            <Text className="cart__sum-note" data-testid="cart-saving">
              已优惠 {formatFen(quote.discount)}
            </Text>
          ) : (
            <Text className="cart__sum-note">不含运费</Text>
          )}
        </View>
        <Button
          className={`cart__checkout${data.selectedLineCount === 0 ? ' cart__checkout--off' : ''}`}
          data-testid="cart-checkout"
          disabled={data.selectedLineCount === 0 || undefined}
          onClick={() => void checkout()}
        >
          结算{data.selectedCount > 0 ? `(${data.selectedCount})` : ''}
        </Button>
      </View>
    </View>
  );
}
