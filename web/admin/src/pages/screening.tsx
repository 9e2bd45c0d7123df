import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography, message } from 'antd';
import { useAuth } from '../auth';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { CodeTag, PageTitle, errText, fmtTime, showError } from '../ui';

type Word = Schemas['SensitiveWord'];
type Result = Schemas['ScreenResult'];
type Category = Word['category'];
type Severity = Word['severity'];

/** 合规词库 and 文本检测: the dictionary every screen uses, and a box to try copy against it. */
export default function ScreeningPage() {
  const { tr } = useI18n();
  const { me } = useAuth();
  const canWrite = !!me?.permissions.includes('catalog.review');
  return (
    <div data-testid="screening-page">
      <PageTitle>{tr('合规词库', 'Compliance words')}</PageTitle>
      <Tabs
        items={[
          { key: 'words', label: tr('词库', 'Dictionary'), children: <WordsTab canWrite={canWrite} /> },
          { key: 'check', label: tr('文本检测', 'Check text'), children: <CheckTab /> },
        ]}
      />
    </div>
  );
}

const SEVERITY_COLOR: Record<string, string> = { block: 'red', review: 'orange', warn: 'gold', allow: 'green', pass: 'green' };

function WordsTab({ canWrite }: { canWrite: boolean }) {
  const { tr, t, labelOptions } = useI18n();
  const [filter, setFilter] = useState<{ category?: Category; severity?: Severity; enabled?: 'true' | 'false'; q?: string }>({});
  const [data, setData] = useState<{ version: number; items: Word[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Word | 'new' | null>(null);
  const load = useCallback(() => {
    call(api.GET('/admin/v1/screening/words', { params: { query: { ...filter, q: filter.q || undefined } } }))
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch(setError);
  }, [filter]);
  useEffect(load, [load]);
  const setEnabled = async (w: Word, enabled: boolean) => {
    try {
      if (enabled)
        await call(api.PATCH('/admin/v1/screening/words/{wordId}', { params: { path: { wordId: w.id } }, body: { enabled: true } }));
      else await call(api.DELETE('/admin/v1/screening/words/{wordId}', { params: { path: { wordId: w.id } } }));
      void message.success(t('saved'));
      load();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <>
      {error ? <Alert type="error" message={errText(error)} /> : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={tr('类别', 'Category')}
          options={labelOptions('wordCategory')}
          value={filter.category}
          onChange={(v) => setFilter((f) => ({ ...f, category: v }))}
          data-testid="word-filter-category"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={tr('处理方式', 'Severity')}
          options={labelOptions('wordSeverity')}
          value={filter.severity}
          onChange={(v) => setFilter((f) => ({ ...f, severity: v }))}
        />
        <Select
          allowClear
          style={{ width: 120 }}
          placeholder={t('status')}
          options={[
            { value: 'true', label: tr('启用', 'Enabled') },
            { value: 'false', label: tr('已停用', 'Disabled') },
          ]}
          value={filter.enabled}
          onChange={(v) => setFilter((f) => ({ ...f, enabled: v }))}
        />
        <Input.Search
          allowClear
          style={{ width: 200 }}
          placeholder={tr('搜索词语', 'Search term')}
          onSearch={(q) => setFilter((f) => ({ ...f, q }))}
          data-testid="word-search"
        />
        {canWrite && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="word-new">
            {tr('新增词语', 'Add word')}
          </Button>
        )}
        {data && <Tag data-testid="dictionary-version">{tr(`词库版本 v${data.version}`, `Dictionary v${data.version}`)}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary">
        {tr(
          '检测时会忽略全角/半角、大小写、繁简、插入的空格和符号以及形近数字；"放行短语"是包含敏感词的正常说法（如"第一次""最近"），覆盖时不报。每次修改都会生成新的词库版本，立即生效。',
          'Screening ignores width, case, traditional characters, inserted spaces and symbols and look-alike digits. Allow phrases are ordinary phrases containing a term (第一次, 最近) and cancel it. Every change makes a new dictionary version, effective at once.',
        )}
      </Typography.Paragraph>
      <Table<Word>
        rowKey="id"
        size="small"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="word-table"
        columns={[
          { title: tr('词语', 'Term'), dataIndex: 'term', render: (v: string) => <b>{v}</b> },
          { title: tr('类别', 'Category'), dataIndex: 'category', render: (c: string) => <CodeTag group="wordCategory" code={c} /> },
          {
            title: tr('处理方式', 'Severity'),
            dataIndex: 'severity',
            render: (s: string) => (
              <Tag color={SEVERITY_COLOR[s]}>
                <CodeLabel group="wordSeverity" code={s} />
              </Tag>
            ),
          },
          { title: tr('修改建议', 'Fix hint'), dataIndex: 'hint', render: (h: string | null) => h ?? '—' },
          {
            title: t('status'),
            dataIndex: 'enabled',
            render: (on: boolean, w) =>
              canWrite ? (
                <Switch size="small" checked={on} onChange={(v) => void setEnabled(w, v)} data-testid={`word-enabled-${w.term}`} />
              ) : on ? (
                tr('启用', 'Enabled')
              ) : (
                tr('已停用', 'Disabled')
              ),
          },
          { title: tr('版本', 'Version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          { title: tr('更新时间', 'Updated'), dataIndex: 'updatedAt', render: fmtTime },
          ...(canWrite
            ? [
                {
                  title: t('actions'),
                  render: (_: unknown, w: Word) => <a onClick={() => setEditing(w)}>{t('edit')}</a>,
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <WordForm
          word={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
        />
      )}
    </>
  );
}

function CodeLabel({ group, code }: { group: 'wordSeverity' | 'screenVerdict'; code: string }) {
  const { label } = useI18n();
  return <>{label(group, code)}</>;
}

function WordForm(props: { word: Word | null; onClose: () => void; onSaved: () => void }) {
  const { tr, labelOptions } = useI18n();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const w = props.word;
  const save = async () => {
    const v = await form.validateFields();
    // allow phrases have one category and one severity: keep the two selects in step
    const body = { category: v.category as Category, severity: v.severity as Severity, hint: v.hint || null };
    setSaving(true);
    try {
      if (w) await call(api.PATCH('/admin/v1/screening/words/{wordId}', { params: { path: { wordId: w.id } }, body }));
      else await call(api.POST('/admin/v1/screening/words', { body: { term: v.term, ...body } }));
      void message.success(tr('已保存', 'Saved'));
      props.onSaved();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={w ? tr(`修改：${w.term}`, `Edit: ${w.term}`) : tr('新增词语', 'Add word')}
      onCancel={props.onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'word-save' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={w ?? { category: 'ad_absolute', severity: 'review' }}
        onValuesChange={(changed) => {
          if (changed.category === 'allow') form.setFieldValue('severity', 'allow');
          else if (changed.category && form.getFieldValue('severity') === 'allow') form.setFieldValue('severity', 'review');
          if (changed.severity === 'allow') form.setFieldValue('category', 'allow');
        }}
      >
        <Form.Item name="term" label={tr('词语', 'Term')} rules={[{ required: true, max: 40 }]}>
          <Input disabled={!!w} data-testid="word-term" />
        </Form.Item>
        <Form.Item name="category" label={tr('类别', 'Category')} rules={[{ required: true }]}>
          <Select options={labelOptions('wordCategory')} data-testid="word-category" />
        </Form.Item>
        <Form.Item name="severity" label={tr('处理方式', 'Severity')} rules={[{ required: true }]}>
          <Select options={labelOptions('wordSeverity')} data-testid="word-severity" />
        </Form.Item>
        <Form.Item name="hint" label={tr('修改建议', 'Fix hint')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} placeholder={tr('如：改为"优惠价"', 'e.g. use 优惠价 instead')} data-testid="word-hint" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CheckTab() {
  const { tr, label } = useI18n();
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<{ text: string; result: Result } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setChecked({ text, result: await call(api.POST('/admin/v1/screening/screen', { body: { text } })) });
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.TextArea
        rows={6}
        maxLength={50_000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={tr('粘贴商品标题、详情、评价或文章内容', 'Paste a title, detail page, review or article')}
        data-testid="screen-input"
      />
      <Button type="primary" onClick={() => void run()} loading={busy} disabled={!text.trim()} data-testid="screen-run">
        {tr('检测', 'Check')}
      </Button>
      {checked && (
        <Card
          size="small"
          data-testid="screen-result"
          title={
            <Space>
              {tr('结果', 'Result')}
              <Tag color={SEVERITY_COLOR[checked.result.verdict]} data-testid="screen-verdict">
                {label('screenVerdict', checked.result.verdict)}
              </Tag>
              <span style={{ color: '#888', fontWeight: 'normal' }}>
                {tr(`词库版本 v${checked.result.version}`, `dictionary v${checked.result.version}`)}
              </span>
            </Space>
          }
        >
          <Highlighted text={checked.text} matches={checked.result.matches} />
          {checked.result.matches.length > 0 && (
            <List
              size="small"
              style={{ marginTop: 12 }}
              dataSource={checked.result.matches}
              renderItem={(m) => (
                <List.Item data-testid="screen-match">
                  <Space wrap>
                    <Tag color={SEVERITY_COLOR[m.severity]}>{label('wordSeverity', m.severity)}</Tag>
                    <b>{m.found}</b>
                    {m.found !== m.term && <span style={{ color: '#888' }}>→ {m.term}</span>}
                    <CodeTag group="wordCategory" code={m.category} />
                    <span>{m.hint}</span>
                    <span style={{ color: '#aaa' }}>{tr(`第 ${m.start + 1}–${m.end} 字`, `chars ${m.start + 1}–${m.end}`)}</span>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
    </Space>
  );
}

/** What Highlighted needs of a match (screenText's and a held review's matches both fit). */
type Mark = Pick<Result['matches'][number], 'start' | 'end' | 'term' | 'hint'> & { severity: string };

/** The checked text with each match marked in its severity's colour (positions are the API's). Also used by 评价审核. */
export function Highlighted({ text, matches }: { text: string; matches: readonly Mark[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, m] of matches.entries()) {
    const start = Math.max(m.start, at); // overlapping matches: the earlier one keeps the shared characters
    if (m.end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark
        key={i}
        title={m.hint ?? m.term}
        data-testid="screen-mark"
        style={{ background: m.severity === 'block' ? '#ffccc7' : m.severity === 'review' ? '#ffe7ba' : '#fff1b8', padding: 0 }}
      >
        {text.slice(start, m.end)}
      </mark>,
    );
    at = m.end;
  }
  parts.push(text.slice(at));
  return <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>{parts}</div>;
}
