import { useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Image, Textarea, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { replace } from '@/lib/nav';
import { formatFen } from '@/lib/format';
import { keepsKey } from '@/lib/error-text';
import { newIdempotencyKey } from '@/lib/promo-keys';
import { OrderAttempt } from '@/lib/checkout';
import { AFTER_SALE_REASONS, MAX_AFTER_SALE_PHOTOS, estimateRefund, remainingQty, reservedByLine } from '@/lib/after-sale';
import { AFTER_SALE_TYPE_LABEL, afterSaleTypesFor, type AfterSaleType } from '@/lib/order-status';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { OrderLine } from '@/components/order-line';
import './index.css';

const TYPE_HINT: Record<AfterSaleType, string> = {
  refund_only: '未收到货，或与商家协商一致不用退货',
  return_refund: '已收到货，需要退还商品',
  exchange: '已收到货，需要更换商品',
};

/** 申请售后: kind (仅退款 / 退货退款 / 换货), how many units, reason, photos → the request. */
export default function AfterSalePage() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const lineId = params.lineId;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const data = useApi(
    async () => {
      const [order, as] = await Promise.all([
        api.call('getOrder', { path: { orderId } }),
        api.call('listMyAfterSales', { query: { orderId, limit: 50 } }),
      ]);
      return { order, afterSales: as.items };
    },
    [orderId],
    { enabled: ready && !!orderId },
  );

  const order = data.data?.order;
  const afterSales = data.data?.afterSales ?? [];
  const types = order ? afterSaleTypesFor(order.status) : [];
  const reserved = useMemo(() => reservedByLine(afterSales), [afterSales]);
  const lines = useMemo(
    () => (order ? order.lines.filter((l) => (!lineId || l.id === lineId) && remainingQty(l, reserved) > 0) : []),
    [order, lineId, reserved],
  );

  const [type, setType] = useState<AfterSaleType | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [desc, setDesc] = useState('');
  const [photos, setPhotos] = useState<{ key: string; url: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const attempt = useRef(new OrderAttempt(() => newIdempotencyKey('as')));

  // Defaults once the order is known: the first kind it allows, every unit still open.
  useEffect(() => {
    if (!order) return;
    setType((t) => (t && types.includes(t) ? t : (types[0] ?? null)));
    setQty((cur) => Object.fromEntries(lines.map((l) => [l.id, Math.min(cur[l.id] ?? Infinity, remainingQty(l, reserved))])));
  }, [order, lines]); // eslint-disable-line react-hooks/exhaustive-deps

  const want = lines.map((l) => ({ orderLineId: l.id, quantity: qty[l.id] ?? 0 })).filter((w) => w.quantity > 0);
  const refund = order && type ? estimateRefund(order, want, afterSales, type) : 0;

  async function addPhotos() {
    const room = MAX_AFTER_SALE_PHOTOS - photos.length;
    if (room <= 0 || uploading) return;
    let paths: string[];
    try {
      paths = (await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] })).tempFilePaths;
    } catch {
      return; // the shopper closed the picker
    }
    setUploading(true);
    try {
      for (const filePath of paths.slice(0, room)) {
        const p = await api.upload('uploadAfterSalePhoto', { filePath, name: 'file' });
        setPhotos((cur) => (cur.length < MAX_AFTER_SALE_PHOTOS ? [...cur, { key: p.key, url: p.url }] : cur));
      }
    } catch (e) {
      toastError(e);
    } finally {
      setUploading(false);
    }
  }

  async function submit() {
    if (!order || !type || submitting) return;
    if (want.length === 0) return void Taro.showToast({ title: '请选择售后商品数量', icon: 'none' });
    if (!reason) return void Taro.showToast({ title: '请选择申请原因', icon: 'none' });
    if (uploading) return void Taro.showToast({ title: '图片上传中，请稍候', icon: 'none' });
    const body = {
      type,
      reason,
      description: desc.trim(),
      photoKeys: photos.map((p) => p.key),
      lines: want,
    };
    const key = attempt.current.keyFor({ orderId: order.id, ...body });
    setSubmitting(true);
    try {
      await api.call('applyAfterSale', { path: { orderId: order.id }, body, headers: { 'Idempotency-Key': key } });
      attempt.current.settle();
      void Taro.showToast({ title: '申请已提交', icon: 'success' });
      setTimeout(() => void replace('afterSales'), 600);
    } catch (e) {
      if (!keepsKey(e)) attempt.current.settle();
      toastError(e);
      const code = (e as { code?: string }).code;
      if (code === 'aftersales.quantity_exceeded' || code === 'aftersales.invalid_state' || code === 'aftersales.order_not_eligible')
        void data.reload();
    } finally {
      setSubmitting(false);
    }
  }

  if (!orderId) return <PageState error={{ code: 'orders.not_found' }} />;
  if (!order) return <PageState loading={data.loading || !ready} error={data.error} onRetry={() => void data.reload()} />;
  if (types.length === 0) return <PageState empty emptyText="该订单暂不能申请售后" />;
  if (lines.length === 0) return <PageState empty emptyText="商品已全部退款或正在售后中" />;

  return (
    <View className="after-sale">
      <View className="after-sale__card">
        <Text className="after-sale__title">售后商品</Text>
        {lines.map((l) => {
          const max = remainingQty(l, reserved);
          const q = qty[l.id] ?? 0;
          const step = (d: number) =>
            setQty((cur) => ({ ...cur, [l.id]: Math.max(lines.length > 1 ? 0 : 1, Math.min(max, (cur[l.id] ?? 0) + d)) }));
          return (
            <View key={l.id} className="after-sale__line">
              <OrderLine imageUrl={l.imageUrl} title={l.title} specKey={l.specKey} unitPrice={l.unitPrice} quantity={l.quantity} />
              <View className="after-sale__qty-row">
                <Text className="after-sale__qty-label">申请数量（最多{max}件）</Text>
                <View className="after-sale__stepper">
                  <View
                    className={`after-sale__step${q <= (lines.length > 1 ? 0 : 1) ? ' after-sale__step--off' : ''}`}
                    data-testid="after-sale-qty-minus"
                    onClick={() => step(-1)}
                  >
                    −
                  </View>
                  <Text className="after-sale__qty" data-testid="after-sale-qty" data-line-id={l.id}>
                    {q}
                  </Text>
                  <View
                    className={`after-sale__step${q >= max ? ' after-sale__step--off' : ''}`}
                    data-testid="after-sale-qty-plus"
                    onClick={() => step(1)}
                  >
                    +
                  </View>
                </View>
              </View>
            </View>
          );
        })}
      </View>

      <View className="after-sale__card">
        <Text className="after-sale__title">服务类型</Text>
        {(['refund_only', 'return_refund', 'exchange'] as const).map((t) => {
          const ok = types.includes(t);
          return (
            <View
              key={t}
              className={`after-sale__type${type === t ? ' after-sale__type--on' : ''}${ok ? '' : ' after-sale__type--off'}`}
              data-testid="after-sale-type"
              data-type={t}
              data-selected={type === t ? '1' : '0'}
              onClick={() => (ok ? setType(t) : void Taro.showToast({ title: '订单未发货，请申请仅退款', icon: 'none' }))}
            >
              <View className="after-sale__type-body">
                <Text className="after-sale__type-name">{AFTER_SALE_TYPE_LABEL[t]}</Text>
                <Text className="after-sale__type-hint">{ok ? TYPE_HINT[t] : '订单发货后可申请'}</Text>
              </View>
              <View className={`after-sale__radio${type === t ? ' after-sale__radio--on' : ''}`} />
            </View>
          );
        })}
      </View>

      <View className="after-sale__card">
        <Text className="after-sale__title">申请原因</Text>
        <View className="after-sale__reasons">
          {AFTER_SALE_REASONS.map((r) => (
            <Text
              key={r}
              className={`after-sale__reason${reason === r ? ' after-sale__reason--on' : ''}`}
              data-testid="after-sale-reason"
              data-reason={r}
              onClick={() => setReason(r)}
            >
              {r}
            </Text>
          ))}
        </View>
        <Textarea
          className="after-sale__desc"
          data-testid="after-sale-description"
          value={desc}
          maxlength={500}
          placeholder="补充描述，有助于商家更快处理（选填）"
          onInput={(e) => setDesc(e.detail.value)}
        />
        <Text className="after-sale__title after-sale__title--sub">
          上传凭证（{photos.length}/{MAX_AFTER_SALE_PHOTOS}）
        </Text>
        <View className="after-sale__photos">
          {photos.map((p) => (
            <View key={p.key} className="after-sale__photo" data-testid="after-sale-photo">
              <Image className="after-sale__photo-img" src={p.url} mode="aspectFill" />
              <Text
                className="after-sale__photo-del"
                data-testid="after-sale-photo-remove"
                onClick={() => setPhotos((cur) => cur.filter((x) => x.key !== p.key))}
              >
                ×
              </Text>
            </View>
          ))}
          {photos.length < MAX_AFTER_SALE_PHOTOS && (
            <View className="after-sale__photo after-sale__photo--add" data-testid="after-sale-photo-add" onClick={() => void addPhotos()}>
              <Text className="after-sale__photo-plus">{uploading ? '上传中' : '+'}</Text>
              {!uploading && <Text className="after-sale__photo-tip">添加图片</Text>}
            </View>
          )}
        </View>
      </View>

      <View className="after-sale__card after-sale__refund">
        <Text className="after-sale__title">{type === 'exchange' ? '换货' : '退款金额'}</Text>
        {type === 'exchange' ? (
          <Text className="after-sale__refund-note">换货不涉及退款</Text>
        ) : (
          <View className="after-sale__refund-value">
            <Price fen={refund} size="md" testId="after-sale-refund" />
            <Text className="after-sale__refund-note">按实付金额计算，原路退回</Text>
          </View>
        )}
      </View>

      <View className="after-sale__spacer" />
      <View className="after-sale__bar">
        <Button
          className="after-sale__submit"
          data-testid="after-sale-submit"
          disabled={submitting || undefined}
          onClick={() => void submit()}
        >
          {submitting ? '提交中…' : `提交申请${type && type !== 'exchange' && refund > 0 ? ` · 退${formatFen(refund)}` : ''}`}
        </Button>
      </View>
    </View>
  );
}
