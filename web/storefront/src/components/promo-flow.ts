/**
 * Steps the promotion pages share (flash sale, group buy, team): the server-clock offset of an
 * answer, and the shopper's delivery address before a quick order.
 */
import Taro from '@tarojs/taro';
import { api } from '@/api';
import { go } from '@/lib/nav';
import { clockOffset } from '@/lib/countdown';

/** Calls `fn` and adds `offset` (server − local clock, from its serverTime) and `startedAt` (local ms). */
export async function withClock<T extends { serverTime: string }>(
  fn: () => Promise<T>,
): Promise<T & { offset: number; startedAt: number }> {
  const startedAt = Date.now();
  const r = await fn();
  return { ...r, offset: clockOffset(r.serverTime, startedAt, Date.now()), startedAt };
}

/**
 * The address a quick order (flash sale, group buy) ships to: the default one, else the newest.
 * With none, opens the address book and answers null (the caller stops).
 */
export async function quickOrderAddressId(): Promise<string | null> {
  const { items } = await api.call('listAddresses');
  const a = items.find((x) => x.isDefault) ?? items[0];
  if (a) return a.id;
  void Taro.showToast({ title: '请先添加收货地址', icon: 'none' });
  void go('addresses');
  return null;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
