import { View, Text, Image, Button } from '@tarojs/components';
import { Price } from '@/components/price';
import { Countdown } from '@/components/countdown';
import type { FlashSale, FlashView } from '@/lib/promo-flash';

interface Props {
  sale: FlashSale;
  view: FlashView;
  offset: number;
  image?: string;
  highlight: boolean;
  busy: boolean;
  /** another sale's request is in flight */
  locked: boolean;
  onBuy: (sale: FlashSale) => void;
  onBoundary: () => void;
  onOpen: (sale: FlashSale) => void;
}

/** One flash sale: picture, title, 秒杀价 vs list price, progress, status, countdown and the buy button. */
export function FlashItem({ sale, view, offset, image, highlight, busy, locked, onBuy, onBoundary, onOpen }: Props) {
  return (
    <View
      id={`flash-${sale.id}`}
      className={`flash-item flash-item--${view.statusKey}${highlight ? ' flash-item--highlight' : ''}`}
      data-testid="flash-item"
      data-sale-id={sale.id}
    >
      <View className="flash-item__pic" onClick={() => onOpen(sale)}>
        {image ? (
          <Image className="flash-item__img" src={image} mode="aspectFill" lazyLoad />
        ) : (
          <View className="flash-item__img flash-item__img--none">秒杀</View>
        )}
        <Text className={`flash-item__status flash-item__status--${view.statusKey}`} data-testid="flash-status">
          {view.status}
        </Text>
      </View>
      <View className="flash-item__body">
        <Text className="flash-item__title" onClick={() => onOpen(sale)}>
          {sale.roundLabel ? `【${sale.roundLabel}】` : ''}
          {sale.title}
        </Text>
        {view.countdownTarget ? (
          <View className="flash-item__timer">
            <Text className="flash-item__timer-label">{view.countdownLabel}</Text>
            <Countdown className="flash-item__countdown" target={view.countdownTarget} offset={offset} onEnd={onBoundary} />
          </View>
        ) : (
          <View className="flash-item__timer">
            <Text className="flash-item__timer-label">活动已结束</Text>
          </View>
        )}
        <View className="flash-item__prices">
          <Price fen={sale.salePrice} size="lg" testId="flash-price" />
          {sale.originalPrice > sale.salePrice && <Price fen={sale.originalPrice} strike />}
          <Text className="flash-item__limit">限购{sale.perShopperLimit}件</Text>
        </View>
        <View className="flash-item__foot">
          <View className="flash-item__progress" data-testid="flash-progress">
            <View className="flash-item__bar">
              <View className="flash-item__bar-fill" style={{ width: `${view.soldPercent ?? 0}%` }} />
            </View>
            <Text className="flash-item__progress-text">{view.progressText}</Text>
          </View>
          <Button
            className={`flash-item__buy flash-item__buy--${view.statusKey}`}
            data-testid="flash-buy"
            disabled={!view.canBuy || busy || locked || undefined}
            // A disabled Taro Button still fires onClick on H5.
            onClick={() => view.canBuy && !busy && !locked && onBuy(sale)}
          >
            {busy ? '提交中…' : view.buyText}
          </Button>
        </View>
      </View>
    </View>
  );
}
