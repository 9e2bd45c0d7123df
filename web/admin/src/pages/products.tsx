import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Image, Input, InputNumber, Modal, Progress, Select, Space, Table, Upload, message } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { api, call, newIdempotencyKey, type Schemas } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, Pager, errText, formatFen, fmtTime, showError, useCursorList } from '../ui';

type Product = Schemas['ProductSummary'];
type Status = Product['status'];

export function useCategories() {
  const [cats, setCats] = useState<Schemas['Category'][]>([]);
  const load = useCallback(
    () =>
      call(api.GET('/admin/v1/categories'))
        .then((r) => setCats(r.items))
        .catch(() => setCats([])),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return { cats, reload: load };
}

/** "家居生活 / 厨房用品 / 保温杯" labels for leaf-level selection. */
export function categoryOptions(cats: Schemas['Category'][]) {
  const byId = new Map(cats.map((c) => [c.id, c]));
  const path = (c: Schemas['Category']): string => {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    return parent ? `${path(parent)} / ${c.name}` : c.name;
  };
  return cats.map((c) => ({ value: c.id, label: path(c) })).sort((a, b) => a.label.localeCompare(b.label));
}

export default function ProductsPage() {
  const { tr, t, labelOptions } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { cats } = useCategories();
  const [filters, setFilters] = useState<{ q?: string; status?: Status; categoryId?: string }>({});
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(
        api.GET('/admin/v1/products', {
          params: { query: { limit: 20, cursor, q: filters.q || undefined, status: filters.status, categoryId: filters.categoryId } },
        }),
      ),
    [filters],
  );
  const list = useCursorList<Product>(fetchPage);
  const [stockFor, setStockFor] = useState<Product | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [form] = Form.useForm();

  const setStatus = async (p: Product, status: 'on_sale' | 'off_sale') => {
    try {
      await call(api.PATCH('/admin/v1/products/{productId}', { params: { path: { productId: p.id } }, body: { status } }));
      void message.success(status === 'on_sale' ? tr('已上架', 'Now on sale') : tr('已下架', 'Taken off sale'));
      void list.reload();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid="products-page">
      <PageTitle
        extra={
          can('catalog.write') && (
            <>
              <Button onClick={() => setImportOpen(true)} data-testid="product-import">
                {tr('CSV 导入', 'Import CSV')}
              </Button>
              <Button type="primary" onClick={() => navigate('/products/new')} data-testid="product-new">
                {tr('新建商品', 'New product')}
              </Button>
            </>
          )
        }
      >
        {t('nav.products')}
      </PageTitle>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => setFilters({ q: v.q?.trim(), status: v.status, categoryId: v.categoryId })}
      >
        <Form.Item name="q" label={tr('关键词', 'Keyword')}>
          <Input allowClear data-testid="filter-keyword" placeholder={tr('商品名称', 'Title')} />
        </Form.Item>
        <Form.Item name="status" label={t('status')}>
          <Select allowClear style={{ width: 140 }} data-testid="filter-status" options={labelOptions('productStatus')} />
        </Form.Item>
        <Form.Item name="categoryId" label={tr('类目', 'Category')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 240 }}
            data-testid="filter-category"
            options={categoryOptions(cats)}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="filter-submit">
              {t('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error ? <Alert type="error" message={errText(list.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Product>
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `product-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: tr('图片', 'Image'),
            dataIndex: 'mainImage',
            width: 72,
            render: (img: Product['mainImage']) =>
              img ? <Image src={img.url} width={48} height={48} style={{ objectFit: 'cover' }} /> : '—',
          },
          {
            title: tr('商品', 'Product'),
            dataIndex: 'title',
            render: (v: string, r) => (
              <Link to={`/products/${r.id}`} data-testid={`product-link-${r.id}`}>
                {v}
              </Link>
            ),
          },
          {
            title: tr('价格', 'Price'),
            render: (_, r) => (r.minPrice === r.maxPrice ? formatFen(r.minPrice) : `${formatFen(r.minPrice)} ~ ${formatFen(r.maxPrice)}`),
          },
          { title: tr('库存', 'Stock'), dataIndex: 'totalStock' },
          { title: tr('销量', 'Sales'), dataIndex: 'salesCount' },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (s: Status) => <CodeTag group="productStatus" code={s} testId="product-status" />,
          },
          { title: t('createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: t('actions'),
            render: (_, r) => (
              <Space size={4} wrap>
                <Link to={`/products/${r.id}`}>{can('catalog.write') ? t('edit') : t('detail')}</Link>
                {can('catalog.write') && r.status !== 'on_sale' && (
                  <Button size="small" type="link" data-testid={`product-onsale-${r.id}`} onClick={() => void setStatus(r, 'on_sale')}>
                    {tr('上架', 'On sale')}
                  </Button>
                )}
                {can('catalog.write') && r.status === 'on_sale' && (
                  <Button
                    size="small"
                    type="link"
                    danger
                    data-testid={`product-offsale-${r.id}`}
                    onClick={() => void setStatus(r, 'off_sale')}
                  >
                    {tr('下架', 'Off sale')}
                  </Button>
                )}
                {can('stock.write') && (
                  <Button size="small" type="link" data-testid={`product-stock-${r.id}`} onClick={() => setStockFor(r)}>
                    {tr('调整库存', 'Adjust stock')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager list={list} />
      {stockFor && (
        <StockDialog
          product={stockFor}
          onClose={(changed) => {
            setStockFor(null);
            if (changed) void list.reload();
          }}
        />
      )}
      {importOpen && (
        <ImportDialog
          onClose={(changed) => {
            setImportOpen(false);
            if (changed) void list.reload();
          }}
        />
      )}
    </div>
  );
}

function StockDialog({ product, onClose }: { product: Product; onClose: (changed: boolean) => void }) {
  const { tr, labelOptions } = useI18n();
  const [detail, setDetail] = useState<Schemas['AdminProduct'] | null>(null);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call(api.GET('/admin/v1/products/{productId}', { params: { path: { productId: product.id } } }))
      .then(setDetail)
      .catch(showError);
  }, [product.id]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const res = await call(
        api.POST('/admin/v1/skus/{skuId}/stock-adjustments', {
          params: { path: { skuId: v.skuId }, header: { 'idempotency-key': newIdempotencyKey() } },
          body:
            v.mode === 'set'
              ? { setTo: v.amount, reason: v.reason, note: v.note ?? '' }
              : { delta: v.amount, reason: v.reason, note: v.note ?? '' },
        }),
      );
      void message.success(tr(`库存已更新为 ${res.stock}`, `Stock is now ${res.stock}`));
      onClose(true);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${tr('调整库存', 'Adjust stock')} · ${product.title}`}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'stock-confirm' }}
    >
      <Form form={form} layout="vertical" initialValues={{ mode: 'delta', reason: 'restock' }}>
        <Form.Item name="skuId" label="SKU" rules={[{ required: true }]}>
          <Select
            data-testid="stock-sku"
            loading={!detail}
            options={(detail?.skus ?? []).map((s) => ({
              value: s.id,
              label: `${s.specKey || tr('默认', 'default')} · ${tr('库存', 'stock')} ${s.stock}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="mode" label={tr('方式', 'Mode')}>
          <Select
            options={[
              { value: 'delta', label: tr('增减（可为负数）', 'Add / remove (may be negative)') },
              { value: 'set', label: tr('盘点设为', 'Set to (stocktake)') },
            ]}
          />
        </Form.Item>
        <Form.Item name="amount" label={tr('数量', 'Quantity')} rules={[{ required: true }]}>
          <InputNumber precision={0} style={{ width: '100%' }} data-testid="stock-amount" />
        </Form.Item>
        <Form.Item name="reason" label={tr('原因', 'Reason')}>
          <Select options={labelOptions('stockReason')} />
        </Form.Item>
        <Form.Item name="note" label={tr('备注', 'Note')}>
          <Input data-testid="stock-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ImportDialog({ onClose }: { onClose: (changed: boolean) => void }) {
  const { tr } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState(0);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'importing' | 'done'>('idle');
  const [report, setReport] = useState<Schemas['ImportReport'] | null>(null);
  const [imported, setImported] = useState(false);

  const send = async (dryRun: boolean) => {
    if (!file) return;
    const text = await file.text();
    setPhase(dryRun ? 'checking' : 'importing');
    setPercent(10);
    const timer = setInterval(() => setPercent((p) => Math.min(90, p + 7)), 300);
    try {
      const res = await call(
        api.POST('/admin/v1/products/import', {
          params: { query: { dryRun: dryRun ? 'true' : 'false' } as never },
          body: text as never,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'content-type': 'text/csv' },
        }),
      );
      setReport(res);
      if (!dryRun) setImported(true);
      setPercent(100);
    } catch (e) {
      showError(e);
      setPercent(0);
    } finally {
      clearInterval(timer);
      setPhase('done');
    }
  };

  return (
    <Modal open width={720} title={tr('CSV 批量导入商品', 'Import products from CSV')} onCancel={() => onClose(imported)} footer={null}>
      <p style={{ color: '#888' }}>
        {tr('表头：', 'Header: ')}
        <code>spu,title,category,material,origin,specs,price,stock</code>
      </p>
      <Space style={{ marginBottom: 12 }}>
        <Upload
          accept=".csv,text/csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            setPercent(0);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button data-testid="import-file">{tr('选择 CSV 文件', 'Choose CSV file')}</Button>
        </Upload>
        <Button
          disabled={!file || phase === 'checking' || phase === 'importing'}
          onClick={() => void send(true)}
          data-testid="import-check"
        >
          {tr('预检查', 'Dry run')}
        </Button>
        <Button
          type="primary"
          disabled={!file || phase === 'checking' || phase === 'importing'}
          onClick={() => void send(false)}
          data-testid="import-submit"
        >
          {tr('导入', 'Import')}
        </Button>
      </Space>
      {phase !== 'idle' && (
        <Progress
          percent={percent}
          status={phase === 'done' ? (report && report.errors.length ? 'exception' : 'success') : 'active'}
          data-testid="import-progress"
        />
      )}
      {report && (
        <div data-testid="import-report">
          <Alert
            style={{ margin: '12px 0' }}
            type={report.errors.length ? 'warning' : 'success'}
            message={tr(
              `${report.dryRun ? '预检查' : '导入'}：共 ${report.rows} 行，商品 ${report.productsImported}，SKU ${report.skusImported}，错误 ${report.errors.length} 行`,
              `${report.dryRun ? 'Dry run' : 'Import'}: ${report.rows} rows, ${report.productsImported} products, ${report.skusImported} SKUs, ${report.errors.length} bad rows`,
            )}
          />
          {report.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(r) => `${r.line}-${r.field}-${r.message}`}
              pagination={{ pageSize: 10 }}
              dataSource={report.errors}
              data-testid="import-errors"
              columns={[
                { title: tr('行号', 'Line'), dataIndex: 'line', width: 80 },
                { title: tr('字段', 'Field'), dataIndex: 'field', width: 120 },
                { title: tr('问题', 'Problem'), dataIndex: 'message' },
              ]}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
