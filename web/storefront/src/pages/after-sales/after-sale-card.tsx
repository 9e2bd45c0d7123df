import { View, Text, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { formatTime } from '@/lib/format';
import {
  AFTER_SALE_TYPE_LABEL,
  afterSaleStatusLabel,
  canCancelAfterSale,
  needsReturnShipment,
  type AfterSaleType,
} from '@/lib/order-status';
import { Price } from '@/components/price';
import './after-sale-card.css';

export type AfterSale = OperationResult<'getAfterSale'>;

interface Props {
  item: AfterSale;
  busy?: boolean;
  onOpen: (a: AfterSale) => void;
  onCancel?: (a: AfterSale) => void;
  onShip?: (a: AfterSale) => void;
}

/** One after-sales request: kind, status, the units, the refund, and what the shopper can do next. */
export function AfterSaleCard({ item: a, busy, onOpen, onCancel, onShip }: Props) {
  const units = a.lines.reduce((n, l) => n + l.quantity, 0);
  const done = a.status === 'refunded' || a.status === 'exchanged';
  const ended = a.status === 'rejected' || a.status === 'cancelled';
  return (
    <View className="as-card" data-testid="after-sale-card" data-after-sale-id={a.id} data-status={a.status} onClick={() => onOpen(a)}>
      <View className="as-card__head">
        <Text className="as-card__type">{AFTER_SALE_TYPE_LABEL[a.type as AfterSaleType] ?? '售后'}</Text>
        <Text
          className={`as-card__status${done ? ' as-card__status--done' : ended ? ' as-card__status--ended' : ''}`}
          data-testid="after-sale-status"
        >
          {afterSaleStatusLabel(a.type, a.status)}
        </Text>
      </View>
      {a.lines.map((l) => (
        <View key={l.id} className="as-card__line">
          <Text className="as-card__title">{l.title}</Text>
          <Text className="as-card__qty">×{l.quantity}</Text>
        </View>
      ))}
      <View className="as-card__meta">
        <Text className="as-card__reason">
          {a.reason} · 共{units}件 · {formatTime(a.createdAt)}
        </Text>
        {a.type === 'exchange' ? (
          <Text className="as-card__amount-label">换货</Text>
        ) : (
          <View className="as-card__amount">
            <Text className="as-card__amount-label">{a.status === 'refunded' ? '已退' : '退款'}</Text>
            <Price fen={a.refundAmount} size="sm" testId="after-sale-amount" />
          </View>
        )}
      </View>
      {a.rejectReason && a.status === 'rejected' ? <Text className="as-card__reject">拒绝原因：{a.rejectReason}</Text> : null}
      {a.returnTrackingNo ? (
        <Text className="as-card__ship">
          退货物流：{a.returnCarrier} {a.returnTrackingNo}
        </Text>
      ) : null}
      {((onCancel && canCancelAfterSale(a.status)) || (onShip && needsReturnShipment(a.type, a.status))) && (
        <View className="as-card__ops">
          {onCancel && canCancelAfterSale(a.status) && (
            <Button
              className="as-card__btn"
              data-testid="after-sale-cancel"
              disabled={busy || undefined}
              onClick={(e) => {
                e.stopPropagation();
                onCancel(a);
              }}
            >
              撤销申请
            </Button>
          )}
          {onShip && needsReturnShipment(a.type, a.status) && (
            <Button
              className="as-card__btn as-card__btn--primary"
              data-testid="after-sale-ship"
              onClick={(e) => {
                e.stopPropagation();
                onShip(a);
              }}
            >
              {a.returnTrackingNo ? '修改退货物流' : '填写退货物流'}
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
