import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import type { OperationResult } from '@edgemall/client/operation-client';
import { returnShipmentProblem } from '@/lib/after-sale';
import '../checkout/sheet.css';
import './ship-sheet.css';

const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', '邮政EMS', '极兔速递'];

type AfterSale = OperationResult<'submitReturnShipment'>;

interface Props {
  afterSale: { id: string; returnCarrier: string | null; returnTrackingNo: string | null };
  onClose: () => void;
  /** the after-sale as the server has it now */
  onSubmitted: (updated: AfterSale) => void;
}

/** 填写退货物流: the carrier and the tracking number of the parcel sent back (submitReturnShipment). */
export function ShipSheet({ afterSale, onClose, onSubmitted }: Props) {
  const [carrier, setCarrier] = useState(afterSale.returnCarrier ?? '');
  const [no, setNo] = useState(afterSale.returnTrackingNo ?? '');
  const [saving, setSaving] = useState(false);

  async function submit() {
    const problem = returnShipmentProblem(carrier, no);
    if (problem) return void Taro.showToast({ title: problem, icon: 'none' });
    const c = carrier.trim();
    const t = no.trim().toUpperCase();
    setSaving(true);
    try {
      onSubmitted(await api.call('submitReturnShipment', { path: { afterSaleId: afterSale.id }, body: { carrier: c, trackingNo: t } }));
      void Taro.showToast({ title: '已提交', icon: 'success' });
    } catch (e) {
      toastError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="sheet" catchMove>
      <View className="sheet__mask" onClick={onClose} />
      <View className="sheet__panel" data-testid="after-sale-ship-sheet">
        <View className="sheet__head">
          <Text className="sheet__title">填写退货物流</Text>
          <Text className="sheet__close" onClick={onClose}>
            ×
          </Text>
        </View>
        <View className="ship__body">
          <Text className="ship__label">快递公司</Text>
          <View className="ship__chips">
            {CARRIERS.map((c) => (
              <Text key={c} className={`ship__chip${carrier === c ? ' ship__chip--on' : ''}`} onClick={() => setCarrier(c)}>
                {c}
              </Text>
            ))}
          </View>
          <Input
            className="ship__input"
            data-testid="after-sale-carrier"
            value={carrier}
            maxlength={20}
            placeholder="其他快递公司"
            onInput={(e) => setCarrier(e.detail.value)}
          />
          <Text className="ship__label">快递单号</Text>
          <Input
            className="ship__input"
            data-testid="after-sale-tracking-no"
            value={no}
            maxlength={40}
            placeholder="请填写快递单号"
            onInput={(e) => setNo(e.detail.value)}
          />
        </View>
        <View className="sheet__foot">
          <Button
            className="sheet__confirm"
            data-testid="after-sale-ship-submit"
            disabled={saving || undefined}
            onClick={() => void submit()}
          >
            {saving ? '提交中…' : '提交'}
          </Button>
        </View>
      </View>
    </View>
  );
}
