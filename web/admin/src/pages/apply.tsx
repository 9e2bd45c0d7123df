import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Result, Upload, message } from 'antd';
import { Link } from 'react-router-dom';
import { api, call, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { errText } from '../ui';

type Node = Schemas['CategoryNode'];
function flatten(nodes: Node[], prefix = ''): { id: string; label: string }[] {
  return nodes.flatMap((n) => [{ id: n.id, label: prefix + n.name }, ...flatten(n.children ?? [], `${prefix}${n.name} / `)]);
}

interface ApplyForm {
  companyName: string;
  creditCode: string;
  shopName: string;
  categoryId: string;
  description?: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  email: string;
  password: string;
}

/** Public 商家入驻 page: no login. Licence upload, then applyMerchant. */
export default function ApplyPage() {
  const { tr, label, lang, setLang } = useI18n();
  const [cats, setCats] = useState<{ id: string; label: string }[]>([]);
  const [licence, setLicence] = useState<{ key: string; name: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ id: string; status: string } | null>(null);
  const [form] = Form.useForm<ApplyForm>();

  useEffect(() => {
    call(api.GET('/store/v1/categories'))
      .then((r) => setCats(flatten(r.items)))
      .catch(() => setCats([]));
  }, []);

  const upload = async (file: File) => {
    setUploading(true);
    setError(null);
    try {
      const fd = new FormData();
      fd.append('file', file);
      const r = await api.raw<{ key: string }>('POST', '/store/v1/merchant-applications/licence', { body: fd });
      setLicence({ key: r.key, name: file.name });
      void message.success(tr('营业执照已上传', 'Licence uploaded'));
    } catch (e) {
      setError(errText(e));
    } finally {
      setUploading(false);
    }
  };

  const submit = async (v: ApplyForm) => {
    if (!licence) {
      setError(tr('请先上传营业执照', 'Upload the business licence first'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await call(
        api.POST('/store/v1/merchant-applications', {
          body: {
            companyName: v.companyName.trim(),
            creditCode: v.creditCode.trim().toUpperCase(),
            shopName: v.shopName.trim(),
            categoryId: v.categoryId,
            description: v.description?.trim() ?? '',
            contact: { name: v.contactName.trim(), phone: v.contactPhone.trim(), email: v.contactEmail.trim() },
            email: v.email.trim(),
            password: v.password,
            licenceMediaKey: licence.key,
          },
        }),
      );
      setDone(r);
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', padding: '32px 16px' }}>
      <Card
        title={tr('商家入驻申请', 'Apply to sell on edgemall')}
        style={{ maxWidth: 720, margin: '0 auto' }}
        data-testid="apply-page"
        extra={
          <Button size="small" type="link" data-testid="lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
        }
      >
        {done ? (
          <div data-testid="apply-result">
            <Result
              status="success"
              title={tr('申请已提交，等待平台审核', 'Application received; the platform will review it')}
              subTitle={
                <span>
                  {tr('申请编号', 'Application id')}: <b data-testid="apply-result-id">{done.id}</b> · {tr('状态', 'status')}:{' '}
                  <span data-testid="apply-result-status">{label('applicationStatus', done.status)}</span>
                </span>
              }
              extra={<Link to="/login">{tr('前往登录（审核通过后可用）', 'Sign in (after approval)')}</Link>}
            />
          </div>
        ) : (
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
            <Form.Item name="companyName" label={tr('公司名称', 'Company name')} rules={[{ required: true, min: 2, max: 100 }]}>
              <Input data-testid="apply-company-name" />
            </Form.Item>
            <Form.Item
              name="creditCode"
              label={tr('统一社会信用代码', 'Unified social credit code')}
              rules={[{ required: true, len: 18, message: tr('18 位统一社会信用代码', '18 characters') }]}
            >
              <Input data-testid="apply-credit-code" maxLength={18} />
            </Form.Item>
            <Form.Item name="shopName" label={tr('店铺名称', 'Shop name')} rules={[{ required: true, min: 2, max: 40 }]}>
              <Input data-testid="apply-shop-name" />
            </Form.Item>
            <Form.Item name="categoryId" label={tr('主营类目', 'Main category')} rules={[{ required: true }]}>
              <select
                data-testid="apply-category"
                style={{ width: '100%', height: 32, borderRadius: 6, border: '1px solid #d9d9d9', padding: '0 8px', background: '#fff' }}
              >
                <option value="">{tr('请选择', 'Choose…')}</option>
                {cats.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Form.Item>
            <Form.Item name="description" label={tr('店铺简介', 'About the shop')}>
              <Input.TextArea rows={3} data-testid="apply-description" maxLength={2000} />
            </Form.Item>
            <Form.Item name="contactName" label={tr('联系人', 'Contact name')} rules={[{ required: true, max: 40 }]}>
              <Input data-testid="apply-contact-name" />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label={tr('联系电话', 'Contact mobile')}
              rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: tr('请输入 11 位手机号', '11-digit mainland mobile number') }]}
            >
              <Input data-testid="apply-contact-phone" />
            </Form.Item>
            <Form.Item name="contactEmail" label={tr('联系邮箱', 'Contact email')} rules={[{ required: true, type: 'email' }]}>
              <Input data-testid="apply-contact-email" />
            </Form.Item>
            <Form.Item name="email" label={tr('商家登录邮箱', 'Login email')} rules={[{ required: true, type: 'email' }]}>
              <Input data-testid="apply-email" autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="password"
              label={tr('登录密码（至少 10 位）', 'Password (10+ characters)')}
              rules={[{ required: true, min: 10 }]}
            >
              <Input.Password data-testid="apply-password" autoComplete="new-password" />
            </Form.Item>
            <Form.Item label={tr('营业执照', 'Business licence')} required>
              <div data-testid="apply-licence">
                <Upload
                  accept="image/png,image/jpeg,image/webp"
                  showUploadList={false}
                  beforeUpload={(f) => {
                    void upload(f);
                    return false;
                  }}
                >
                  <Button loading={uploading}>
                    {licence ? tr('重新上传', 'Replace') : tr('上传营业执照图片', 'Upload licence image')}
                  </Button>
                </Upload>
                {licence && (
                  <span style={{ marginLeft: 8 }} data-testid="apply-licence-done">
                    ✓ {licence.name}
                  </span>
                )}
              </div>
            </Form.Item>
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="apply-error" />}
            <Button type="primary" htmlType="submit" loading={busy} block data-testid="apply-submit">
              {tr('提交申请', 'Submit application')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
