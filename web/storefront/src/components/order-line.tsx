import type { ReactNode } from 'react';
import { View, Text, Image } from '@tarojs/components';
import { Price } from './price';
import './order-line.css';

export interface OrderLineProps {
  imageUrl: string | null;
  title: string;
  specKey?: string;
  /** fen */
  unitPrice: number;
  quantity: number;
  /** a small note under the spec (售后中, 已退款1件, …) */
  note?: string;
  /** buttons at the right bottom (申请售后) */
  extra?: ReactNode;
  testId?: string;
  onClick?: () => void;
}

/** One product line of an order or a checkout: picture, title, spec, unit price and ×quantity. */
export function OrderLine({ imageUrl, title, specKey, unitPrice, quantity, note, extra, testId, onClick }: OrderLineProps) {
  return (
    <View className="order-line" data-testid={testId} onClick={onClick}>
      {imageUrl ? (
        <Image className="order-line__img" src={imageUrl} mode="aspectFill" lazyLoad />
      ) : (
        <View className="order-line__img order-line__img--none" />
      )}
      <View className="order-line__body">
        <Text className="order-line__title">{title}</Text>
        {specKey ? <Text className="order-line__spec">{specKey.replace(/\//g, '；')}</Text> : null}
        {note ? <Text className="order-line__note">{note}</Text> : null}
        <View className="order-line__foot">
          <Price fen={unitPrice} size="sm" />
          <Text className="order-line__qty">×{quantity}</Text>
        </View>
        {extra ? <View className="order-line__extra">{extra}</View> : null}
      </View>
    </View>
  );
}
