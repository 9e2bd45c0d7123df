import { useEffect, useState } from 'react';
import { Alert, Modal, Radio, Select, Space, Spin, Tag, message } from 'antd';
import { api, call, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { showError } from '../../ui';

/**
 * A category's required facts (上架必填信息): its own list, or inherit the parent's (the platform
 * default 材质 + 产地 at the top). Children inherit whatever this category says.
 */
export function RequiredFactsModal({ category, onClose }: { category: { id: string; name: string } | null; onClose: () => void }) {
  const { tr } = useI18n();
  const [cur, setCur] = useState<Schemas['CategoryRequiredFacts'] | null>(null);
  const [mode, setMode] = useState<'inherit' | 'own'>('inherit');
  const [list, setList] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setCur(null);
    if (!category) return;
    call(api.GET('/admin/v1/categories/{categoryId}/required-facts', { params: { path: { categoryId: category.id } } }))
      .then((r) => {
        setCur(r);
        setMode(r.own ? 'own' : 'inherit');
        setList(r.own ?? r.effective);
      })
      .catch(showError);
  }, [category]);
  const save = async () => {
    setBusy(true);
    try {
      await call(
        api.PUT('/admin/v1/categories/{categoryId}/required-facts', {
          params: { path: { categoryId: category!.id } },
          body: { requiredFacts: mode === 'own' ? list : null },
        }),
      );
      void message.success(tr('已保存', 'Saved'));
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!category}
      title={`${tr('上架必填信息', 'Required facts')} · ${category?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'facts-save' } as never}
      destroyOnHidden
    >
      {!cur ? (
        <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="facts-modal">
          <Alert
            type="info"
            message={
              <span>
                {tr('当前生效：', 'In effect: ')}
                {cur.effective.map((f) => (
                  <Tag key={f}>{f}</Tag>
                ))}
                {cur.inheritedFrom === null
                  ? tr('（平台默认）', '(platform default)')
                  : cur.inheritedFrom === cur.categoryId
                    ? tr('（本类目设置）', '(set here)')
                    : tr('（继承上级类目）', '(inherited)')}
              </span>
            }
          />
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value)}
            options={[
              { value: 'inherit', label: tr('继承上级类目', 'Inherit from parent') },
              { value: 'own', label: tr('本类目单独设置', 'Set for this category') },
            ]}
          />
          {mode === 'own' && (
            <Select
              mode="tags"
              style={{ width: '100%' }}
              value={list}
              onChange={setList}
              data-testid="facts-select"
              placeholder={tr('输入属性名后回车，如 保质期', 'Type a fact name and press Enter, e.g. 保质期')}
              options={['材质', '产地', '保质期', '生产许可证编号', '品牌', '规格型号'].map((f) => ({ value: f, label: f }))}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
