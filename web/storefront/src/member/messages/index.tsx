import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Switch, Button } from '@tarojs/components';
import type { OperationInput, OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { useApi } from '@/hooks/use-api';
import { PageState } from '@/components/page-state';
import { newIdempotencyKey } from '@/lib/promo-keys';
import { subscribeResults } from '@/lib/subscribe';
import './index.css';

type Settings = OperationResult<'getMyMessageSettings'>;
type Patch = NonNullable<OperationInput<'updateMyMessageSettings'>['body']>;
const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/**
 * 消息设置: marketing messages on/off, per channel (订阅消息 / 短信) and per kind (到货、降价、上新…);
 * order, refund and other service notices are always sent. In the mini-program, 开启订阅 asks
 * WeChat for the subscribe messages (each 允许 lets the shop send one).
 */
export default function MessagesPage() {
  const s = useApi(() => api.call('getMyMessageSettings'), [], { refreshOnShow: true });
  const [saving, setSaving] = useState(false);

  const patch = async (body: Patch) => {
    setSaving(true);
    try {
      s.setData(await api.call('updateMyMessageSettings', { body }));
    } catch (e) {
      toastError(e);
    } finally {
      setSaving(false);
    }
  };

  const authorise = async (d: Settings) => {
    const asked = d.subscribeTemplates.map((t) => t.wxTemplateId).slice(0, 3);
    if (!asked.length) return;
    try {
      const answer = await Taro.requestSubscribeMessage({ tmplIds: asked } as never);
      const results = subscribeResults(answer as unknown as Record<string, unknown>, asked);
      if (!results.length) return;
      const r = await api.call('recordSubscribeResults', { body: { results }, headers: { 'Idempotency-Key': newIdempotencyKey('sub') } });
      s.setData(r.settings);
      void Taro.showToast({ title: results.some((x) => x.result === 'accept') ? '已开启提醒' : '未开启提醒', icon: 'none' });
    } catch (e) {
      toastError(e);
    }
  };

  const d = s.data;
  if (!d) return <PageState loading={s.loading} error={s.error} onRetry={() => void s.reload()} />;
  return (
    <View className="msg-settings" data-testid="messages-page">
      <View className="msg-settings__card">
        <View className="msg-settings__row">
          <View>
            <Text className="msg-settings__label">接收优惠与活动消息</Text>
            <Text className="msg-settings__hint">关闭后仍会收到订单、物流、退款等服务通知</Text>
          </View>
          <Switch
            checked={d.marketing}
            disabled={saving}
            color="#e4393c"
            data-testid="messages-marketing"
            onChange={(e) => void patch({ marketing: e.detail.value })}
          />
        </View>
      </View>

      <Text className="msg-settings__title">接收渠道</Text>
      <View className="msg-settings__card">
        <View className="msg-settings__row">
          <Text className="msg-settings__label">小程序订阅消息</Text>
          <Switch
            checked={d.channels.wechat_subscribe}
            disabled={saving || !d.marketing}
            color="#e4393c"
            onChange={(e) => void patch({ channels: { wechat_subscribe: e.detail.value } })}
          />
        </View>
        <View className="msg-settings__row">
          <Text className="msg-settings__label">短信</Text>
          <Switch
            checked={d.channels.sms}
            disabled={saving || !d.marketing}
            color="#e4393c"
            data-testid="messages-sms"
            onChange={(e) => void patch({ channels: { sms: e.detail.value } })}
          />
        </View>
      </View>

      <Text className="msg-settings__title">消息类型</Text>
      <View className="msg-settings__card">
        {d.kinds.map((k) => (
          <View className="msg-settings__row" key={k.key}>
            <Text className="msg-settings__label">{k.label}</Text>
            <Switch
              checked={k.enabled}
              disabled={saving || !d.marketing}
              color="#e4393c"
              data-testid={`messages-kind-${k.key}`}
              onChange={(e) => void patch({ kinds: { [k.key]: e.detail.value } as Patch['kinds'] })}
            />
          </View>
        ))}
      </View>

      {IS_WEAPP && d.subscribeTemplates.length > 0 && (
        <>
          <Text className="msg-settings__title">订阅消息授权</Text>
          <View className="msg-settings__card">
            {d.subscribeTemplates.map((t) => (
              <View className="msg-settings__row" key={t.wxTemplateId}>
                <Text className="msg-settings__label">{t.label}</Text>
                <Text className="msg-settings__hint">剩余可接收 {t.remaining} 次</Text>
              </View>
            ))}
            <Button className="msg-settings__btn" size="mini" onClick={() => void authorise(d)}>
              开启订阅提醒
            </Button>
          </View>
        </>
      )}
      <Text className="msg-settings__foot">我们每天最多发送少量营销消息，22:00–08:00 不打扰。</Text>
    </View>
  );
}
