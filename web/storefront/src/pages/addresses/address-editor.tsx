import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input, Switch, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { addressBody, addressProblem, type AddressForm } from '@/lib/checkout';

interface Props {
  /** the address edited; absent for a new one */
  id?: string;
  initial: AddressForm;
  /** it is the default already (the default cannot be unset, only moved) */
  wasDefault: boolean;
  onSaved: (id: string) => void;
  onCancel: () => void;
  onDelete?: () => void;
}

const FIELDS: {
  key: keyof Omit<AddressForm, 'isDefault'>;
  label: string;
  placeholder: string;
  testId: string;
  type?: 'number' | 'text';
  max: number;
}[] = [
  { key: 'name', label: '收货人', placeholder: '请填写收货人姓名', testId: 'address-name', max: 20 },
  { key: 'phone', label: '手机号码', placeholder: '请填写收货人手机号', testId: 'address-phone', type: 'number', max: 11 },
  { key: 'province', label: '省份', placeholder: '如：浙江省', testId: 'address-province', max: 20 },
  { key: 'city', label: '城市', placeholder: '如：杭州市', testId: 'address-city', max: 20 },
  { key: 'district', label: '区/县', placeholder: '如：西湖区', testId: 'address-district', max: 20 },
  { key: 'detail', label: '详细地址', placeholder: '街道、楼牌号等', testId: 'address-detail', max: 120 },
];

/** New / edit address form: every field the API takes, checked before sending. */
export function AddressEditor({ id, initial, wasDefault, onSaved, onCancel, onDelete }: Props) {
  const [form, setForm] = useState<AddressForm>(initial);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof AddressForm, v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));

  async function save() {
    if (saving) return;
    const problem = addressProblem(form);
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    const body = addressBody(form);
    setSaving(true);
    try {
      if (id) {
        const { isDefault, ...rest } = body;
        // isDefault only ever turns on: another address takes the default away from this one.
        await api.call('updateAddress', { path: { addressId: id }, body: isDefault && !wasDefault ? { ...rest, isDefault: true } : rest });
        void Taro.showToast({ title: '已保存', icon: 'success' });
        onSaved(id);
      } else {
        const a = await api.call('createAddress', { body });
        void Taro.showToast({ title: '已添加', icon: 'success' });
        onSaved(a.id);
      }
    } catch (e) {
      toastError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="address-form" data-testid="address-form">
      <View className="address-form__card">
        {FIELDS.map((f) => (
          <View key={f.key} className="address-form__row">
            <Text className="address-form__label">{f.label}</Text>
            <Input
              className="address-form__input"
              data-testid={f.testId}
              type={f.type ?? 'text'}
              value={form[f.key]}
              maxlength={f.max}
              placeholder={f.placeholder}
              onInput={(e) => set(f.key, e.detail.value)}
            />
          </View>
        ))}
      </View>
      <View className="address-form__card">
        <View className="address-form__row address-form__row--switch">
          <View className="address-form__default">
            <Text className="address-form__label">设为默认地址</Text>
            <Text className="address-form__hint">{wasDefault ? '当前为默认地址，设置其他地址为默认即可更换' : '下单时优先使用该地址'}</Text>
          </View>
          <Switch
            data-testid="address-default"
            checked={form.isDefault}
            disabled={wasDefault || undefined}
            color="#e4393c"
            onChange={(e) => set('isDefault', !!e.detail.value)}
          />
        </View>
      </View>
      <Button className="address-form__save" data-testid="address-save" disabled={saving || undefined} onClick={() => void save()}>
        {saving ? '保存中…' : '保存'}
      </Button>
      {onDelete && (
        <Button className="address-form__delete" data-testid="address-form-delete" onClick={onDelete}>
          删除地址
        </Button>
      )}
      <Text className="address-form__cancel" data-testid="address-cancel" onClick={onCancel}>
        取消
      </Text>
    </View>
  );
}
