import { useEffect, useState } from 'react';
import { useDidShow, useReachBottom, usePullDownRefresh, stopPullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { type AfterSale } from './after-sale-card';
import { AfterSalesList } from './after-sales-list';
import { ShipSheet } from './ship-sheet';
import { useAfterSales } from './use-after-sales';
import './index.css';

/** 退款/售后: the shopper's after-sales requests; withdraw one, or tell the merchant how the goods went back. */
export default function AfterSalesPage() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const list = useAfterSales(ready);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [shipping, setShipping] = useState<AfterSale | null>(null);
  const [shown, setShown] = useState(false);

  useDidShow(() => {
    if (shown && ready) void list.reload();
    setShown(true);
  });
  useReachBottom(() => void list.loadMore());
  usePullDownRefresh(() => void list.reload().finally(() => stopPullDownRefresh()));

  return (
    <View className="after-sales">
      <AfterSalesList list={list} busyId={busyId} setBusyId={setBusyId} onShip={setShipping} />
      {shipping && (
        <ShipSheet
          afterSale={shipping}
          onClose={() => setShipping(null)}
          onSubmitted={(updated) => {
            list.replaceItem(updated);
            setShipping(null);
          }}
        />
      )}
    </View>
  );
}
