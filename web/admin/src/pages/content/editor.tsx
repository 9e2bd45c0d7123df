import { useState } from 'react';
import { Alert, AutoComplete, Button, DatePicker, Drawer, Form, Image, Input, List, Select, Space, Tabs, Tag, Upload, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '@edgemall/client/errors';
import { api, call, newIdempotencyKey, type Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { CodeTag, showError } from '../../ui';
import { ProductSelect } from '../promotions/shared';

type Content = Schemas['AdminContent'];
type Match = Schemas['ContentScreenMatch'];
type Values = {
  kind: Content['kind'];
  title: string;
  summary?: string;
  body: string;
  productIds?: string[];
  tags?: string[];
  seasonTag?: string;
  publishAt?: Dayjs | null;
};

const SEASONS = ['春节', '元宵', '情人节', '三八节', '开学季', '618', '七夕', '中秋', '国庆', '双11', '双12', '圣诞'];
const FIELD_LABEL: Record<string, [string, string]> = { title: ['标题', 'Title'], summary: ['摘要', 'Summary'], body: ['正文', 'Body'] };

/** The screening's findings: each term, where, and how to fix it. */
function Matches({ matches }: { matches: Match[] }) {
  const { tr, lang } = useI18n();
  if (!matches.length) return null;
  return (
    <List
      size="small"
      bordered
      data-testid="content-matches"
      dataSource={matches}
      renderItem={(m) => (
        <List.Item>
          <Space wrap>
            <CodeTag group="wordSeverity" code={m.severity} />
            <Tag color="red">{m.term}</Tag>
            <span>
              {FIELD_LABEL[m.field]?.[lang === 'zh' ? 0 : 1]} {tr('第', 'at')} {m.start + 1}
              {tr(' 字', '')}
            </span>
            {m.hint && <span style={{ color: '#888' }}>{m.hint}</span>}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** 内容编辑: kind, title, cover, rich text (HTML) with a sandboxed preview, products, tags, season, publish time; save, submit, schedule. */
export function ArticleEditor({ content, onClose }: { content: Content | null; onClose: () => void }) {
  const { tr, labelOptions } = useI18n();
  const [form] = Form.useForm<Values>();
  const [current, setCurrent] = useState<Content | null>(content);
  const [cover, setCover] = useState<{ key: string; url: string } | null>(
    content?.coverMediaKey && content.coverUrl ? { key: content.coverMediaKey, url: content.coverUrl } : null,
  );
  const [busy, setBusy] = useState(false);
  const [blocked, setBlocked] = useState<Match[] | null>(null);
  const body = Form.useWatch('body', form) ?? '';
  const editable = !current || !current.live;

  const upload = async (file: File) => {
    try {
      const fd = new FormData();
      fd.append('file', file);
      const media = await api.raw<Schemas['Media']>('POST', '/admin/v1/media', { query: { purpose: 'banner' }, body: fd });
      setCover({ key: media.key, url: media.url });
    } catch (e) {
      showError(e);
    }
  };

  /** Creates or updates the draft; returns it. */
  const save = async (): Promise<Content | null> => {
    const v = await form.validateFields();
    const input = {
      kind: v.kind,
      title: v.title,
      summary: v.summary || null,
      body: v.body,
      productIds: v.productIds ?? [],
      tags: v.tags ?? [],
      seasonTag: v.seasonTag || null,
      coverMediaKey: cover?.key ?? null,
      publishAt: v.publishAt ? v.publishAt.toISOString() : null,
    };
    const saved = current
      ? await call(api.PATCH('/admin/v1/content/articles/{contentId}', { params: { path: { contentId: current.id } }, body: input }))
      : await call(api.POST('/admin/v1/content/articles', { params: { header: { 'idempotency-key': newIdempotencyKey() } }, body: input }));
    setCurrent(saved);
    form.setFieldValue('body', saved.body);
    return saved;
  };

  const run = async (what: 'save' | 'submit' | 'schedule') => {
    setBusy(true);
    setBlocked(null);
    try {
      if (what === 'schedule' && current) {
        const at = form.getFieldValue('publishAt') as Dayjs | null;
        if (!at) return void message.warning(tr('先选择发布时间', 'Pick a publish time first'));
        const r = await call(
          api.POST('/admin/v1/content/articles/{contentId}/schedule', {
            params: { path: { contentId: current.id } },
            body: { publishAt: at.toISOString() },
          }),
        );
        setCurrent(r);
        void message.success(tr('已定时发布', 'Scheduled'));
        return;
      }
      const saved = current?.status === 'draft' || !current || what === 'save' ? await save() : current;
      if (!saved) return;
      if (what === 'submit') {
        const r = await call(api.POST('/admin/v1/content/articles/{contentId}/submit', { params: { path: { contentId: saved.id } } }));
        setCurrent(r);
        void message.success(
          r.status === 'review' ? tr('已提交，等待人工审核', 'Submitted: waiting for review') : tr('审核通过', 'Approved'),
        );
      } else void message.success(tr('已保存草稿', 'Draft saved'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'content.screening_blocked')
        setBlocked(((e.details as { matches?: Match[] })?.matches ?? []) as Match[]);
      else showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      width={880}
      onClose={onClose}
      title={current ? current.title : tr('新建内容', 'New article')}
      extra={current && <CodeTag group="contentStatus" code={current.status} testId="editor-status" />}
      footer={
        <Space>
          <Button onClick={() => void run('save')} loading={busy} disabled={!editable} data-testid="editor-save">
            {tr('保存草稿', 'Save draft')}
          </Button>
          <Button type="primary" onClick={() => void run('submit')} loading={busy} disabled={!editable} data-testid="editor-submit">
            {tr('保存并提交审核', 'Save and submit')}
          </Button>
          {current && (current.status === 'approved' || (current.status === 'scheduled' && !current.live)) && (
            <Button onClick={() => void run('schedule')} loading={busy} data-testid="editor-schedule">
              {tr('定时发布', 'Schedule')}
            </Button>
          )}
        </Space>
      }
    >
      {current?.live && (
        <Alert type="info" showIcon message={tr('前台可见中：下线后才能编辑', 'Live: take it down to edit')} style={{ marginBottom: 12 }} />
      )}
      {blocked && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={tr('含有不能发布的用语，请修改后再提交', 'Contains terms that cannot be published: fix them and submit again')}
          description={<Matches matches={blocked} />}
          data-testid="editor-blocked"
        />
      )}
      {!blocked && current && current.screenMatches.length > 0 && (
        <Alert
          type="warning"
          style={{ marginBottom: 12 }}
          message={tr('合规筛查提示', 'Screening findings')}
          description={<Matches matches={current.screenMatches} />}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={{
          kind: content?.kind ?? 'scene_guide',
          title: content?.title,
          summary: content?.summary ?? undefined,
          body: content?.body ?? '',
          productIds: content?.productIds ?? [],
          tags: content?.tags ?? [],
          seasonTag: content?.seasonTag ?? undefined,
          publishAt: content?.publishAt ? dayjs(content.publishAt) : null,
        }}
      >
        <Space align="start" style={{ width: '100%' }} wrap>
          <Form.Item name="kind" label={tr('类型', 'Kind')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={labelOptions('contentKind')} data-testid="editor-kind" />
          </Form.Item>
          <Form.Item name="title" label={tr('标题', 'Title')} rules={[{ required: true, max: 60 }]}>
            <Input style={{ width: 360 }} data-testid="editor-title" />
          </Form.Item>
          <Form.Item name="publishAt" label={tr('发布时间（北京时间）', 'Publish at (Beijing)')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="editor-publish-at" />
          </Form.Item>
        </Space>
        <Form.Item name="summary" label={tr('摘要', 'Summary')} rules={[{ max: 200 }]}>
          <Input data-testid="editor-summary" />
        </Form.Item>
        <Form.Item label={tr('封面', 'Cover')}>
          <Space>
            {cover && <Image src={cover.url} width={160} height={90} style={{ objectFit: 'cover' }} />}
            <Upload
              accept="image/jpeg,image/png,image/webp"
              showUploadList={false}
              beforeUpload={(f) => {
                void upload(f);
                return false;
              }}
            >
              <Button>{cover ? tr('更换封面', 'Replace cover') : tr('上传封面', 'Upload cover')}</Button>
            </Upload>
          </Space>
        </Form.Item>
        <Tabs
          items={[
            {
              key: 'edit',
              label: tr('正文（HTML）', 'Body (HTML)'),
              children: (
                <Form.Item
                  name="body"
                  rules={[{ required: true }]}
                  extra={tr(
                    '保存时服务器会过滤脚本、事件属性、样式和 javascript: 链接',
                    'The server strips scripts, handlers, styles and javascript: links on save',
                  )}
                >
                  <Input.TextArea rows={12} data-testid="editor-body" />
                </Form.Item>
              ),
            },
            {
              key: 'preview',
              label: tr('预览', 'Preview'),
              // a sandboxed frame: nothing typed here can run in the console
              children: (
                <iframe title="preview" sandbox="" srcDoc={body} style={{ width: '100%', height: 320, border: '1px solid #eee' }} />
              ),
            },
          ]}
        />
        <Form.Item name="productIds" label={tr('文中商品（商品卡片）', 'Products (cards)')}>
          <ProductSelect multiple testId="editor-products" />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item name="tags" label={tr('标签', 'Tags')}>
            <Select mode="tags" style={{ width: 320 }} tokenSeparators={[',', '，']} data-testid="editor-tags" />
          </Form.Item>
          <Form.Item name="seasonTag" label={tr('节日/季节', 'Season')}>
            <AutoComplete style={{ width: 160 }} options={SEASONS.map((s) => ({ value: s }))} allowClear data-testid="editor-season" />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}
