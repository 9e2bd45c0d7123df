import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Form, Image, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, PageTitle, errText, fmtTime, showError } from '../../ui';
import { ProductSelect } from '../promotions/shared';

type Section = Schemas['AdminHomeSection'];
type Kind = Section['kind'];
type Link = { type: 'article' | 'product' | 'articles' | 'path'; target: string };
type Values = {
  kind: Kind;
  title: string;
  window?: [Dayjs | null, Dayjs | null];
  enabled: boolean;
  slides?: { imageMediaKey: string; title?: string; link?: Link }[];
  entries?: { title: string; link: Link }[];
  productIds?: string[];
  moreLink?: Link;
};

/** An image upload whose form value is the media key. */
function MediaKeyField({ value, onChange }: { value?: string; onChange?: (k: string) => void }) {
  const { tr } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  return (
    <Space>
      {url && <Image src={url} width={120} height={48} style={{ objectFit: 'cover' }} />}
      {value && !url && <Tag>{value.split('/').pop()}</Tag>}
      <Upload
        accept="image/jpeg,image/png,image/webp"
        showUploadList={false}
        beforeUpload={(f) => {
          const fd = new FormData();
          fd.append('file', f);
          api
            .raw<Schemas['Media']>('POST', '/admin/v1/media', { query: { purpose: 'banner' }, body: fd })
            .then((m) => {
              setUrl(m.url);
              onChange?.(m.key);
            })
            .catch(showError);
          return false;
        }}
      >
        <Button size="small">{value ? tr('更换图片', 'Replace') : tr('上传图片', 'Upload')}</Button>
      </Upload>
    </Space>
  );
}

/** Where a slide or entry leads: an article id, a product id, the content list (tag/kind) or a page path. */
function LinkFields({ name, optional }: { name: (string | number)[]; optional?: boolean }) {
  const { tr, labelOptions } = useI18n();
  return (
    <Space.Compact>
      <Form.Item name={[...name, 'type']} noStyle rules={optional ? [] : [{ required: true }]}>
        <Select
          style={{ width: 110 }}
          allowClear={optional}
          placeholder={tr('链接到', 'Links to')}
          options={labelOptions('homeLinkType')}
        />
      </Form.Item>
      <Form.Item name={[...name, 'target']} noStyle>
        <Input
          style={{ width: 260 }}
          placeholder={tr('内容ID / 商品ID / 标签 / /pages/… 路径', 'article id / product id / tag / /pages/… path')}
        />
      </Form.Item>
    </Space.Compact>
  );
}

const cleanLink = (l?: Link) => (l?.type ? { type: l.type, target: l.target ?? '' } : null);

/** 首页装修: banners, topic entries and product rails with their schedules; order them with the arrows. */
export default function HomeSectionsPage() {
  const { t, tr, labelOptions } = useI18n();
  const [items, setItems] = useState<Section[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Section | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);

  const load = useCallback(async () => {
    try {
      setItems((await call(api.GET('/admin/v1/home-sections'))).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const open = (s: Section | 'new') => {
    form.resetFields();
    if (s !== 'new') {
      const p = s.payload as Record<string, unknown>;
      form.setFieldsValue({
        kind: s.kind,
        title: s.title,
        enabled: s.enabled,
        window: [s.startsAt ? dayjs(s.startsAt) : null, s.endsAt ? dayjs(s.endsAt) : null],
        ...(p as object),
      } as Values);
    } else form.setFieldsValue({ kind: 'banner', enabled: true });
    setEditing(s);
  };

  const save = async () => {
    const v = await form.validateFields();
    const payload =
      v.kind === 'banner'
        ? {
            slides: (v.slides ?? []).map((s) => ({ imageMediaKey: s.imageMediaKey, title: s.title || undefined, link: cleanLink(s.link) })),
          }
        : v.kind === 'topic_entry'
          ? { entries: (v.entries ?? []).map((e) => ({ title: e.title, link: cleanLink(e.link)! })) }
          : { productIds: v.productIds ?? [], moreLink: cleanLink(v.moreLink) };
    const startsAt = v.window?.[0]?.toISOString() ?? null;
    const endsAt = v.window?.[1]?.toISOString() ?? null;
    try {
      if (editing === 'new')
        await call(
          api.POST('/admin/v1/home-sections', {
            params: { header: { 'idempotency-key': newIdempotencyKey() } },
            body: { kind: v.kind, title: v.title, enabled: v.enabled, startsAt, endsAt, payload } as never,
          }),
        );
      else if (editing)
        await call(
          api.PATCH('/admin/v1/home-sections/{sectionId}', {
            params: { path: { sectionId: editing.id } },
            body: { title: v.title, enabled: v.enabled, startsAt, endsAt, payload },
          }),
        );
      setEditing(null);
      await load();
    } catch (e) {
      showError(e);
    }
  };

  const move = async (i: number, by: -1 | 1) => {
    const ids = items.map((s) => s.id);
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    try {
      setItems((await call(api.PUT('/admin/v1/home-sections/order', { body: { ids } }))).items);
    } catch (e) {
      showError(e);
      await load();
    }
  };
  const toggle = async (s: Section, enabled: boolean) => {
    try {
      await call(api.PATCH('/admin/v1/home-sections/{sectionId}', { params: { path: { sectionId: s.id } }, body: { enabled } }));
      await load();
    } catch (e) {
      showError(e);
    }
  };
  const remove = async (s: Section) => {
    try {
      await call(api.DELETE('/admin/v1/home-sections/{sectionId}', { params: { path: { sectionId: s.id } } }));
      await load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="home-sections-page">
      <PageTitle
        extra={
          <Button type="primary" onClick={() => open('new')} data-testid="home-section-new">
            {tr('新建模块', 'New section')}
          </Button>
        }
      >
        {t('nav.home-sections')}
      </PageTitle>
      {error ? <Alert type="error" message={errText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Section>
        rowKey="id"
        dataSource={items}
        pagination={false}
        columns={[
          {
            title: tr('顺序', 'Order'),
            key: 'order',
            width: 90,
            render: (_, _r, i) => (
              <Space>
                <Button size="small" disabled={i === 0} onClick={() => void move(i, -1)}>
                  ↑
                </Button>
                <Button size="small" disabled={i === items.length - 1} onClick={() => void move(i, 1)}>
                  ↓
                </Button>
              </Space>
            ),
          },
          { title: tr('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => <CodeTag group="homeSectionKind" code={k} /> },
          { title: tr('标题', 'Title'), dataIndex: 'title' },
          {
            title: tr('展示时间', 'Shown'),
            key: 'window',
            render: (_, r) => (
              <span>
                {r.startsAt ? fmtTime(r.startsAt) : tr('立即', 'now')} → {r.endsAt ? fmtTime(r.endsAt) : tr('长期', 'no end')}{' '}
                {r.showingNow ? <Tag color="green">{tr('展示中', 'Showing')}</Tag> : <Tag>{tr('未展示', 'Not showing')}</Tag>}
              </span>
            ),
          },
          {
            title: tr('启用', 'Enabled'),
            dataIndex: 'enabled',
            render: (v: boolean, r) => <Switch checked={v} onChange={(on) => void toggle(r, on)} />,
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_, r) => (
              <Space>
                <a onClick={() => open(r)}>{t('edit')}</a>
                <Popconfirm title={tr('删除这个模块？', 'Delete this section?')} onConfirm={() => void remove(r)}>
                  <a>{tr('删除', 'Delete')}</a>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        width={760}
        title={editing === 'new' ? tr('新建模块', 'New section') : tr('编辑模块', 'Edit section')}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form<Values> form={form} layout="vertical">
          <Space wrap>
            <Form.Item name="kind" label={tr('类型', 'Kind')} rules={[{ required: true }]}>
              <Select style={{ width: 140 }} disabled={editing !== 'new'} options={labelOptions('homeSectionKind')} />
            </Form.Item>
            <Form.Item name="title" label={tr('标题', 'Title')} rules={[{ required: true, max: 30 }]}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="enabled" label={tr('启用', 'Enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="window" label={tr('展示时间（留空为立即/长期）', 'Shown from / until (empty: now / no end)')}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} allowEmpty={[true, true]} />
          </Form.Item>
          {kind === 'banner' && (
            <Form.List name="slides" initialValue={[{}]}>
              {(fields, { add, remove: del }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="start" wrap style={{ marginBottom: 8 }}>
                      <Form.Item
                        name={[f.name, 'imageMediaKey']}
                        rules={[{ required: true, message: tr('上传图片', 'Upload an image') }]}
                        noStyle
                      >
                        <MediaKeyField />
                      </Form.Item>
                      <Form.Item name={[f.name, 'title']} noStyle>
                        <Input style={{ width: 140 }} placeholder={tr('文字', 'Caption')} />
                      </Form.Item>
                      <LinkFields name={[f.name, 'link']} optional />
                      <a onClick={() => del(f.name)}>{tr('删除', 'Remove')}</a>
                    </Space>
                  ))}
                  <Button onClick={() => add({})}>{tr('添加轮播图', 'Add slide')}</Button>
                </>
              )}
            </Form.List>
          )}
          {kind === 'topic_entry' && (
            <Form.List name="entries" initialValue={[{}]}>
              {(fields, { add, remove: del }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="start" style={{ marginBottom: 8 }}>
                      <Form.Item name={[f.name, 'title']} rules={[{ required: true, max: 20 }]} noStyle>
                        <Input style={{ width: 140 }} placeholder={tr('入口名称', 'Entry name')} />
                      </Form.Item>
                      <LinkFields name={[f.name, 'link']} />
                      <a onClick={() => del(f.name)}>{tr('删除', 'Remove')}</a>
                    </Space>
                  ))}
                  <Button onClick={() => add({})}>{tr('添加入口', 'Add entry')}</Button>
                </>
              )}
            </Form.List>
          )}
          {kind === 'product_rail' && (
            <>
              <Form.Item
                name="productIds"
                label={tr('商品（下架商品不会展示）', 'Products (off-sale ones are hidden)')}
                rules={[{ required: true }]}
              >
                <ProductSelect multiple />
              </Form.Item>
              <Form.Item label={tr('“更多”链接', '“More” link')}>
                <LinkFields name={['moreLink']} optional />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </div>
  );
}
