import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { back } from '@/lib/nav';
import { ADDRESS_PICK_KEY, EMPTY_ADDRESS, type AddressForm } from '@/lib/checkout';
import { PageState } from '@/components/page-state';
import { AddressCard } from '@/components/address-card';
import { AddressEditor } from './address-editor';
import './index.css';

type Listed = OperationResult<'listAddresses'>['items'][number];

/** 收货地址: the address book; ?select=1 picks one for checkout (answered through storage). */
export default function AddressesPage() {
  const { params } = useRouter();
  const selecting = params.select === '1' || params.select === 'true';
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const list = useApi(() => api.call('listAddresses'), [], { refreshOnShow: true, enabled: ready });
  const [editing, setEditing] = useState<{ id?: string; form: AddressForm; wasDefault: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void Taro.setNavigationBarTitle({
      title: editing ? (editing.id ? '编辑收货地址' : '新建收货地址') : selecting ? '选择收货地址' : '收货地址',
    });
  }, [editing, selecting]);

  const items = list.data?.items ?? [];

  const pick = (id: string) => {
    Taro.setStorageSync(ADDRESS_PICK_KEY, id);
    void back();
  };

  const openNew = () => setEditing({ form: { ...EMPTY_ADDRESS, isDefault: items.length === 0 }, wasDefault: false });

  const openEdit = async (a: Listed) => {
    if (busy) return;
    setBusy(true);
    try {
      // The list is masked (张*, 138****8000): the form needs the real address.
      const full = await api.call('getAddress', { path: { addressId: a.id } });
      setEditing({
        id: a.id,
        wasDefault: full.isDefault,
        form: {
          name: full.name,
          phone: full.phone,
          province: full.province,
          city: full.city,
          district: full.district,
          detail: full.detail,
          isDefault: full.isDefault,
        },
      });
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    const r = await Taro.showModal({
      title: '删除地址',
      content: '确定删除这个收货地址吗？',
      confirmText: '删除',
      confirmColor: '#e4393c',
    });
    if (!r.confirm) return;
    try {
      await api.call('deleteAddress', { path: { addressId: id } });
      void Taro.showToast({ title: '已删除', icon: 'success' });
      setEditing(null);
      await list.reload();
    } catch (e) {
      toastError(e);
    }
  };

  const makeDefault = async (a: Listed) => {
    if (a.isDefault || busy) return;
    setBusy(true);
    try {
      await api.call('updateAddress', { path: { addressId: a.id }, body: { isDefault: true } });
      await list.reload();
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  if (editing)
    return (
      <AddressEditor
        id={editing.id}
        initial={editing.form}
        wasDefault={editing.wasDefault}
        onCancel={() => setEditing(null)}
        onDelete={editing.id ? () => void remove(editing.id!) : undefined}
        onSaved={(id) => {
          setEditing(null);
          if (selecting && !editing.id) pick(id);
          else void list.reload();
        }}
      />
    );

  return (
    <View className="addresses">
      {list.data ? (
        items.length === 0 ? (
          <View className="addresses__empty" data-testid="addresses-empty">
            <Text className="addresses__empty-text">还没有收货地址</Text>
            <Text className="addresses__empty-sub">添加一个，下单更方便</Text>
          </View>
        ) : (
          <View className="addresses__list">
            {selecting && <Text className="addresses__tip">点击地址即可选择</Text>}
            {items.map((a) => (
              <View
                key={a.id}
                className="address-item"
                data-testid="address-item"
                data-address-id={a.id}
                data-default={a.isDefault ? '1' : '0'}
              >
                <AddressCard address={a} isDefault={a.isDefault} onClick={selecting ? () => pick(a.id) : () => void openEdit(a)} />
                <View className="address-item__ops">
                  <View className="address-item__default" data-testid="address-set-default" onClick={() => void makeDefault(a)}>
                    <View className={`address-item__radio${a.isDefault ? ' address-item__radio--on' : ''}`} />
                    <Text className={`address-item__default-text${a.isDefault ? ' address-item__default-text--on' : ''}`}>
                      {a.isDefault ? '默认地址' : '设为默认'}
                    </Text>
                  </View>
                  <Text className="address-item__op" data-testid="address-edit" onClick={() => void openEdit(a)}>
                    编辑
                  </Text>
                  <Text className="address-item__op" data-testid="address-delete" onClick={() => void remove(a.id)}>
                    删除
                  </Text>
                </View>
              </View>
            ))}
          </View>
        )
      ) : (
        <PageState loading={list.loading || !ready} error={list.error} onRetry={() => void list.reload()} />
      )}
      <View className="addresses__spacer" />
      <View className="addresses__bar">
        <Button className="addresses__add" data-testid="address-add" disabled={items.length >= 20 || undefined} onClick={openNew}>
          + 新建收货地址
        </Button>
      </View>
    </View>
  );
}
