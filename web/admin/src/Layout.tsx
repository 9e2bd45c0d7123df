import { useMemo, useState } from 'react';
import { Button, Layout, Menu, Space, Tag, type MenuProps } from 'antd';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from './auth';
import { useI18n, type DictKey } from './i18n';
import { canSee, type NavKey } from './nav';

type Group = { group: DictKey; keys: NavKey[] };
const MENU: (NavKey | Group)[] = [
  'dashboard',
  {
    group: 'nav.catalog',
    keys: ['products', 'categories', 'screening', 'review-moderation', 'reviews', 'spot-checks', 'correction-notices'],
  },
  'orders',
  'aftersales',
  { group: 'nav.marketing', keys: ['flash-sales', 'group-buys', 'coupons', 'promotion-rules', 'lotteries', 'campaigns'] },
  {
    group: 'nav.members',
    keys: [
      'member-lookup',
      'member-tiers',
      'member-settings',
      'points-rules',
      'points-adjust',
      'checkin-tasks',
      'points-mall',
      'referrals',
      'member-segments',
      'win-back',
      'messages',
    ],
  },
  { group: 'nav.content', keys: ['content-list', 'content-calendar', 'home-sections'] },
  { group: 'nav.support', keys: ['support-inbox', 'support-faqs', 'support-report'] },
  'merchants',
  'merchant-applications',
  'ledger',
  { group: 'nav.system', keys: ['staff', 'audit-log'] },
];

export function AppLayout() {
  const { me, logout } = useAuth();
  const { t, label, lang, setLang } = useI18n();
  const loc = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<MenuProps['items']>(() => {
    const leaf = (k: NavKey) => ({
      key: k,
      label: (
        <Link to={`/${k}`} data-testid={`nav-${k}`}>
          {t(`nav.${k}` as DictKey)}
        </Link>
      ),
    });
    const out: NonNullable<MenuProps['items']> = [];
    for (const m of MENU) {
      if (typeof m === 'string') {
        if (canSee(me, m)) out.push(leaf(m));
      } else {
        const children = m.keys.filter((k) => canSee(me, k)).map(leaf);
        if (children.length) out.push({ key: m.group, label: t(m.group), type: 'group', children });
      }
    }
    return out;
  }, [me, t]);

  const selected = loc.pathname.split('/')[1] ?? 'dashboard';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            fontWeight: 600,
            fontSize: collapsed ? 14 : 17,
          }}
        >
          {collapsed ? 'EM' : t('app.title')}
        </div>
        <Menu mode="inline" selectedKeys={[selected]} items={items} data-testid="side-menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size="middle">
            <Button size="small" data-testid="lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
              {lang === 'zh' ? 'English' : '中文'}
            </Button>
            <span data-testid="current-user">
              {me?.name}{' '}
              <Tag color="blue" data-testid="current-role">
                {me ? label('staffRole', me.role) : ''}
              </Tag>
            </span>
            <Button size="small" data-testid="logout" onClick={() => void logout()}>
              {t('logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24, padding: 24, background: '#fff', minHeight: 360 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
