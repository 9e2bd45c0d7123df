import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api, toastError } from '@/api';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { AfterSaleCard, type AfterSale } from './after-sale-card';
import type { useAfterSales } from './use-after-sales';

/** The list itself, shared with the 售后 tab of 我的订单. */
export function AfterSalesList({
  list,
  busyId,
  setBusyId,
  onShip,
}: {
  list: ReturnType<typeof useAfterSales>;
  busyId: string | null;
  setBusyId: (id: string | null) => void;
  onShip?: (a: AfterSale) => void;
}) {
  const cancel = async (a: AfterSale) => {
    const r = await Taro.showModal({ title: '撤销申请', content: '撤销后本次售后申请将关闭，确定撤销吗？', confirmColor: '#e4393c' });
    if (!r.confirm) return;
    setBusyId(a.id);
    try {
      list.replaceItem(await api.call('cancelAfterSale', { path: { afterSaleId: a.id } }));
      void Taro.showToast({ title: '已撤销', icon: 'success' });
    } catch (e) {
      toastError(e);
    } finally {
      setBusyId(null);
    }
  };

  if (!list.loaded) return <PageState loading={list.loading} error={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0) return <PageState empty emptyText="暂无售后记录" />;
  return (
    <View className="after-sales__list">
      {list.items.map((a) => (
        <AfterSaleCard
          key={a.id}
          item={a}
          busy={busyId === a.id}
          onOpen={(x) => void go('order', { id: x.orderId })}
          onCancel={(x) => void cancel(x)}
          onShip={onShip}
        />
      ))}
      <Text className="after-sales__more">{list.loading ? '加载中…' : list.done ? '没有更多了' : ''}</Text>
    </View>
  );
}
