import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Image, Input, InputNumber, Radio, Select, Space, Spin, Table, Tag, Upload, message } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '@edgemall/client';
import { api, call, type Schemas } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { MoneyInput, PageTitle, errText, showError } from '../ui';
import { categoryOptions, useCategories } from './products';
import { ScreeningMatches, type FieldMatch } from './compliance/matches';

/** Facts with their own form fields; any other required fact is an attribute. */
const COLUMN_FACTS = new Set(['材质', '产地']);

interface Dim {
  name: string;
  valuesText: string;
}
interface SkuRow {
  id?: string;
  price: number | null;
  cost: number | null;
  stock: number;
  weightG: number;
  enabled: boolean;
  existingStock?: number;
}

export function splitValues(text: string): string[] {
  const seen = new Set<string>();
  for (const v of text.split(/[,，、;；\n]/)) {
    const s = v.trim();
    if (s) seen.add(s);
  }
  return [...seen];
}

function cartesian(dims: { name: string; values: string[] }[]): string[][] {
  const usable = dims.filter((d) => d.name.trim() && d.values.length);
  if (!usable.length) return [[]];
  return usable.reduce<string[][]>((acc, d) => acc.flatMap((prefix) => d.values.map((v) => [...prefix, v])), [[]]);
}

export default function ProductFormPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { tr } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { cats } = useCategories();
  const [form] = Form.useForm();
  const [dims, setDims] = useState<Dim[]>([]);
  const [rows, setRows] = useState<Record<string, SkuRow>>({});
  const [mainImage, setMainImage] = useState<{ key: string; url: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [detail, setDetail] = useState<Schemas['AdminProduct'] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // 合规筛查: the matches of a refused save, with the texts they were found in
  const [blocked, setBlocked] = useState<{ matches: FieldMatch[]; texts: Record<string, string> } | null>(null);
  const [attrs, setAttrs] = useState<Record<string, string>>({});
  const [facts, setFacts] = useState<Schemas['CategoryRequiredFacts'] | null>(null);
  const readOnly = !can('catalog.write');
  const categoryId = Form.useWatch('categoryId', form) as string | undefined;
  const needs = (fact: string) => (facts ? facts.effective.includes(fact) : true);

  // The category's required facts (材质, 产地, 保质期 …): shown as required fields.
  useEffect(() => {
    if (!categoryId) return setFacts(null);
    call(api.GET('/admin/v1/categories/{categoryId}/required-facts', { params: { path: { categoryId } } }))
      .then(setFacts)
      .catch(() => setFacts(null));
  }, [categoryId]);

  useEffect(() => {
    if (isNew) return;
    call(api.GET('/admin/v1/products/{productId}', { params: { path: { productId: id } } }))
      .then((p) => {
        setDetail(p);
        setAttrs(p.attributes);
        form.setFieldsValue({
          title: p.title,
          subtitle: p.subtitle,
          categoryId: p.categoryId,
          material: p.material,
          origin: p.origin,
          detailHtml: p.detailHtml,
          status: p.status === 'on_sale' ? 'on_sale' : p.status === 'off_sale' ? 'off_sale' : 'draft',
        });
        setDims(p.specDims.map((d) => ({ name: d.name, valuesText: d.values.join(',') })));
        const r: Record<string, SkuRow> = {};
        for (const s of p.skus)
          r[s.specValues.join('\u0001')] = {
            id: s.id,
            price: s.price,
            cost: s.cost,
            stock: s.stock,
            existingStock: s.stock,
            weightG: s.weightG,
            enabled: s.enabled,
          };
        setRows(r);
        setMainImage(p.mainImage ? { key: p.mainImage.key, url: p.mainImage.url } : null);
      })
      .catch(setLoadError);
  }, [id, isNew, form]);

  const parsedDims = useMemo(() => dims.map((d) => ({ name: d.name.trim(), values: splitValues(d.valuesText) })), [dims]);
  const combos = useMemo(() => cartesian(parsedDims), [parsedDims]);
  const rowOf = (combo: string[]): SkuRow => rows[combo.join('\u0001')] ?? { price: null, cost: 0, stock: 0, weightG: 500, enabled: true };
  const setRow = (combo: string[], patch: Partial<SkuRow>) =>
    setRows((r) => ({ ...r, [combo.join('\u0001')]: { ...rowOf(combo), ...patch } }));
  const usableDims = parsedDims.filter((d) => d.name && d.values.length);

  const upload = async (file: File) => {
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', file);
      const media = await api.raw<Schemas['Media']>('POST', '/admin/v1/media', { query: { purpose: 'product' }, body: fd });
      setMainImage({ key: media.key, url: media.url });
      void message.success(tr('图片已上传', 'Image uploaded'));
    } catch (e) {
      showError(e);
    } finally {
      setUploading(false);
    }
  };

  const submit = async () => {
    setError(null);
    setBlocked(null);
    const v = await form.validateFields();
    const texts: Record<string, string> = {
      title: v.title ?? '',
      subtitle: v.subtitle ?? '',
      detailHtml: v.detailHtml ?? '',
      material: v.material ?? '',
      origin: v.origin ?? '',
      ...Object.fromEntries(Object.entries(attrs).map(([k, x]) => [`attributes.${k}`, x])),
    };
    usableDims.forEach((d, i) => {
      texts[`specDims.${i}.name`] = d.name;
      d.values.forEach((x, j) => (texts[`specDims.${i}.values.${j}`] = x));
    });
    const attributes = Object.fromEntries(Object.entries(attrs).filter(([, x]) => x.trim()));
    const skus = combos.map((c) => ({ combo: c, row: rowOf(c) }));
    const missing = skus.findIndex((s) => s.row.price === null || s.row.price <= 0);
    if (missing >= 0) {
      setError(tr(`第 ${missing + 1} 行 SKU 价格未填写`, `SKU row ${missing + 1} needs a price`));
      return;
    }
    setBusy(true);
    try {
      if (isNew) {
        const created = await call(
          api.POST('/admin/v1/products', {
            body: {
              categoryId: v.categoryId,
              title: v.title,
              subtitle: v.subtitle ?? '',
              material: v.material ?? '',
              origin: v.origin ?? '',
              attributes,
              detailHtml: v.detailHtml ?? '',
              mainMediaKey: mainImage?.key ?? null,
              mediaKeys: mainImage ? [mainImage.key] : [],
              specDims: usableDims,
              skus: skus.map(({ combo, row }) => ({
                specValues: combo,
                stock: row.stock,
                price: row.price!,
                cost: row.cost ?? 0,
                lowStockThreshold: 5,
                weightG: row.weightG,
                enabled: row.enabled,
              })),
              status: v.status === 'on_sale' ? 'on_sale' : 'draft',
            },
          }),
        );
        void message.success(
          created.status === 'pending_review' ? tr('已提交审核', 'Submitted for review') : tr('商品已创建', 'Product created'),
        );
        navigate(`/products/${created.id}`, { replace: true });
      } else {
        const updated = await call(
          api.PATCH('/admin/v1/products/{productId}', {
            params: { path: { productId: id } },
            body: {
              categoryId: v.categoryId,
              title: v.title,
              subtitle: v.subtitle ?? '',
              material: v.material ?? '',
              origin: v.origin ?? '',
              attributes,
              detailHtml: v.detailHtml ?? '',
              mainMediaKey: mainImage?.key ?? null,
              mediaKeys: mainImage ? [mainImage.key] : [],
              specDims: usableDims,
              skus: skus.map(({ combo, row }) => ({
                id: row.id,
                specValues: combo,
                initialStock: row.id ? (row.existingStock ?? row.stock) : row.stock,
                price: row.price!,
                cost: row.cost ?? 0,
                weightG: row.weightG,
                enabled: row.enabled,
              })),
              // Only a deliberate change: a pending_review product shows as draft and must not be demoted by a save.
              status: form.isFieldTouched('status') ? v.status : undefined,
              expectedVersion: detail?.version,
            },
          }),
        );
        setDetail(updated);
        void message.success(tr('已保存', 'Saved'));
      }
    } catch (e) {
      // A refused term is shown marked in its field below; other errors as text.
      if (e instanceof ApiError && e.code === 'catalog.screening_blocked')
        setBlocked({ matches: (e.details as { matches: FieldMatch[] }).matches, texts });
      else setError(errText(e));
    } finally {
      setBusy(false);
    }
  };

  const review = async (decision: 'approve' | 'reject') => {
    try {
      const p = await call(api.POST('/admin/v1/products/{productId}/review', { params: { path: { productId: id! } }, body: { decision } }));
      setDetail(p);
      void message.success(decision === 'approve' ? tr('已通过，商品上架', 'Approved: on sale') : tr('已驳回', 'Rejected'));
    } catch (e) {
      showError(e);
    }
  };
  const screening = detail?.screening;
  const savedTexts: Record<string, string> = detail
    ? {
        title: detail.title,
        subtitle: detail.subtitle,
        detailHtml: detail.detailHtml,
        material: detail.material,
        origin: detail.origin,
        ...Object.fromEntries(Object.entries(detail.attributes).map(([k, x]) => [`attributes.${k}`, x])),
        ...Object.fromEntries(
          detail.specDims.flatMap((d, i) => [[`specDims.${i}.name`, d.name], ...d.values.map((x, j) => [`specDims.${i}.values.${j}`, x])]),
        ),
      }
    : {};

  if (loadError) return <Alert type="error" message={errText(loadError)} />;
  if (!isNew && !detail) return <Spin />;

  return (
    <div data-testid="product-form">
      <PageTitle extra={<Button onClick={() => navigate('/products')}>{tr('返回列表', 'Back to list')}</Button>}>
        {isNew ? tr('新建商品', 'New product') : `${tr('编辑商品', 'Edit product')} · ${detail?.title ?? ''}`}
      </PageTitle>
      {detail?.offSaleReason && detail.status === 'off_sale' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12, maxWidth: 1100 }}
          data-testid="product-offsale-reason"
          message={tr('商品已被平台下架', 'Taken off sale by the platform')}
          description={detail.offSaleReason}
        />
      )}
      {screening && screening.matches.length > 0 && (
        <div style={{ marginBottom: 12, maxWidth: 1100 }}>
          <ScreeningMatches
            type={screening.held ? 'warning' : 'info'}
            testId="product-screening"
            title={
              screening.held
                ? tr('合规筛查：以下内容需运营人工审核后才能上架', 'Screening: an operator reviews these before it goes on sale')
                : tr('合规筛查提示（不影响上架，建议修改）', 'Screening warnings (allowed; consider rewording)')
            }
            matches={screening.matches}
            texts={savedTexts}
          />
        </div>
      )}
      {screening && screening.duplicates.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12, maxWidth: 1100 }}
          data-testid="product-duplicates"
          message={tr('详情文案与其他商家的商品高度相似', "The detail copy is nearly the same as another merchant's product")}
          description={screening.duplicates.map((d) => `${d.title}（${d.merchantId}，${d.productId}）`).join('；')}
        />
      )}
      {detail?.status === 'pending_review' && can('catalog.review') && (
        <Card size="small" title={tr('商品审核', 'Review')} style={{ marginBottom: 12, maxWidth: 1100 }} data-testid="product-review">
          <Space>
            <Button type="primary" onClick={() => void review('approve')} data-testid="product-approve">
              {tr('通过并上架', 'Approve')}
            </Button>
            <Button danger onClick={() => void review('reject')} data-testid="product-reject">
              {tr('驳回', 'Reject')}
            </Button>
          </Space>
        </Card>
      )}
      <Form form={form} layout="vertical" disabled={readOnly} initialValues={{ status: 'draft' }} style={{ maxWidth: 1100 }}>
        <Card size="small" title={tr('基本信息', 'Basics')} style={{ marginBottom: 16 }}>
          <Form.Item name="title" label={tr('商品标题', 'Title')} rules={[{ required: true, max: 120 }]}>
            <Input data-testid="product-title" />
          </Form.Item>
          <Form.Item name="subtitle" label={tr('副标题', 'Subtitle')}>
            <Input data-testid="product-subtitle" />
          </Form.Item>
          <Form.Item name="categoryId" label={tr('类目', 'Category')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={categoryOptions(cats)} data-testid="product-category" />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item
              name="material"
              label={tr('材质', 'Material')}
              dependencies={['status']}
              rules={[
                ({ getFieldValue }) => ({
                  required: getFieldValue('status') === 'on_sale' && needs('材质'),
                  message: tr('上架需填写材质', 'Material is needed to go on sale'),
                }),
              ]}
            >
              <Input data-testid="product-material" />
            </Form.Item>
            <Form.Item
              name="origin"
              label={tr('产地', 'Origin')}
              dependencies={['status']}
              rules={[
                ({ getFieldValue }) => ({
                  required: getFieldValue('status') === 'on_sale' && needs('产地'),
                  message: tr('上架需填写产地', 'Origin is needed to go on sale'),
                }),
              ]}
            >
              <Input data-testid="product-origin" />
            </Form.Item>
            <Form.Item name="status" label={tr('状态', 'Status')}>
              <Radio.Group
                data-testid="product-status"
                options={[
                  { value: 'draft', label: tr('草稿', 'Draft') },
                  { value: 'on_sale', label: tr('上架', 'On sale') },
                  ...(isNew ? [] : [{ value: 'off_sale', label: tr('下架', 'Off sale') }]),
                ]}
              />
            </Form.Item>
          </Space>
          {facts && (
            <div data-testid="required-facts" style={{ marginBottom: 12 }}>
              <div style={{ marginBottom: 6, color: '#595959' }}>
                {tr('该类目上架必填：', 'Required to list in this category: ')}
                {facts.effective.length ? facts.effective.map((f) => <Tag key={f}>{f}</Tag>) : tr('无', 'nothing')}
              </div>
              <Space wrap>
                {facts.effective
                  .filter((f) => !COLUMN_FACTS.has(f))
                  .map((f) => (
                    <Input
                      key={f}
                      addonBefore={f}
                      style={{ width: 260 }}
                      value={attrs[f] ?? ''}
                      disabled={readOnly}
                      data-testid={`product-fact-${f}`}
                      onChange={(e) => setAttrs({ ...attrs, [f]: e.target.value })}
                    />
                  ))}
              </Space>
            </div>
          )}
          <Form.Item label={tr('主图', 'Main image')}>
            <Space align="start">
              {mainImage && <Image src={mainImage.url} width={96} height={96} style={{ objectFit: 'cover' }} data-testid="image-preview" />}
              <div data-testid="image-upload">
                <Upload
                  accept="image/jpeg,image/png,image/webp,image/gif"
                  showUploadList={false}
                  beforeUpload={(f) => {
                    void upload(f);
                    return false;
                  }}
                  disabled={readOnly}
                >
                  <Button loading={uploading}>{mainImage ? tr('更换图片', 'Replace image') : tr('上传图片', 'Upload image')}</Button>
                </Upload>
              </div>
            </Space>
          </Form.Item>
          <Form.Item name="detailHtml" label={tr('详情（HTML）', 'Detail (HTML)')}>
            <Input.TextArea rows={4} data-testid="product-detail" />
          </Form.Item>
        </Card>
      </Form>

      <Card size="small" title={tr('规格与 SKU', 'Specs & SKUs')} style={{ marginBottom: 16, maxWidth: 1100 }}>
        {dims.map((d, i) => (
          <Space key={i} style={{ display: 'flex', marginBottom: 8 }} align="start">
            <Input
              style={{ width: 160 }}
              placeholder={tr('规格名，如 颜色', 'Spec, e.g. Colour')}
              value={d.name}
              data-testid={`spec-name-${i}`}
              disabled={readOnly}
              onChange={(e) => setDims(dims.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
            />
            <div>
              <Input
                style={{ width: 420 }}
                placeholder={tr('规格值，用逗号分隔：白色,黑色', 'Values, comma separated: white,black')}
                value={d.valuesText}
                data-testid={`spec-values-${i}`}
                disabled={readOnly}
                onChange={(e) => setDims(dims.map((x, j) => (j === i ? { ...x, valuesText: e.target.value } : x)))}
              />
              <div style={{ marginTop: 4 }}>
                {splitValues(d.valuesText).map((v) => (
                  <Tag key={v}>{v}</Tag>
                ))}
              </div>
            </div>
            <Button danger disabled={readOnly} data-testid={`spec-remove-${i}`} onClick={() => setDims(dims.filter((_, j) => j !== i))}>
              {tr('删除', 'Remove')}
            </Button>
          </Space>
        ))}
        <Button
          disabled={readOnly || dims.length >= 3}
          data-testid="spec-add"
          onClick={() => setDims([...dims, { name: '', valuesText: '' }])}
          style={{ marginBottom: 12 }}
        >
          + {tr('添加规格', 'Add spec')}
        </Button>
        <Table
          size="small"
          rowKey={(c) => c.join('\u0001') || 'default'}
          dataSource={combos}
          pagination={false}
          data-testid="sku-grid"
          columns={[
            ...(usableDims.length
              ? usableDims.map((d, di) => ({ title: d.name, key: `d${di}`, render: (_: unknown, c: string[]) => c[di] }))
              : [{ title: 'SKU', key: 'default', render: () => tr('默认规格', 'Default') }]),
            {
              title: tr('售价（元）', 'Price (¥)'),
              key: 'price',
              render: (_: unknown, c: string[], i: number) => (
                <MoneyInput
                  style={{ width: 130 }}
                  value={rowOf(c).price}
                  onChange={(fen) => setRow(c, { price: fen })}
                  testId={`sku-price-${i}`}
                  disabled={readOnly}
                />
              ),
            },
            {
              title: tr('成本（元）', 'Cost (¥)'),
              key: 'cost',
              render: (_: unknown, c: string[], i: number) => (
                <MoneyInput
                  style={{ width: 120 }}
                  value={rowOf(c).cost}
                  onChange={(fen) => setRow(c, { cost: fen })}
                  testId={`sku-cost-${i}`}
                  disabled={readOnly}
                />
              ),
            },
            {
              title: tr('库存', 'Stock'),
              key: 'stock',
              render: (_: unknown, c: string[], i: number) =>
                rowOf(c).id ? (
                  <span data-testid={`sku-stock-${i}`} title={tr('已有 SKU 请在列表中“调整库存”', 'Use “Adjust stock” for existing SKUs')}>
                    {rowOf(c).existingStock}
                  </span>
                ) : (
                  <InputNumber
                    min={0}
                    precision={0}
                    value={rowOf(c).stock}
                    onChange={(n) => setRow(c, { stock: Number(n ?? 0) })}
                    data-testid={`sku-stock-${i}`}
                    disabled={readOnly}
                  />
                ),
            },
            {
              title: tr('重量（克）', 'Weight (g)'),
              key: 'weight',
              render: (_: unknown, c: string[], i: number) => (
                <InputNumber
                  min={0}
                  precision={0}
                  value={rowOf(c).weightG}
                  onChange={(n) => setRow(c, { weightG: Number(n ?? 0) })}
                  data-testid={`sku-weight-${i}`}
                  disabled={readOnly}
                />
              ),
            },
          ]}
        />
      </Card>
      {blocked && (
        <div style={{ marginBottom: 12, maxWidth: 1100 }}>
          <ScreeningMatches
            type="error"
            testId="product-blocked"
            title={tr('含禁用词，无法保存：请按提示修改标红的内容', 'Contains banned terms: change the marked text')}
            matches={blocked.matches}
            texts={blocked.texts}
          />
        </div>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12, maxWidth: 1100 }} data-testid="product-error" />}
      {!readOnly && (
        <Button
          type="primary"
          size="large"
          loading={busy}
          onClick={() => void submit().catch(() => undefined)}
          data-testid="product-submit"
        >
          {isNew ? tr('创建商品', 'Create product') : tr('保存', 'Save')}
        </Button>
      )}
    </div>
  );
}
