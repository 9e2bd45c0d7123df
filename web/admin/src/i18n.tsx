import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'edgemall.admin.lang';

/** Shared words; page-specific labels use `tr(zh, en)` beside the code that shows them. */
const DICT = {
  'app.title': ['edgemall 运营后台', 'edgemall console'],
  'nav.dashboard': ['数据概览', 'Dashboard'],
  'nav.catalog': ['商品', 'Catalog'],
  'nav.products': ['商品管理', 'Products'],
  'nav.categories': ['类目管理', 'Categories'],
  'nav.orders': ['订单管理', 'Orders'],
  'nav.aftersales': ['售后管理', 'After-sales'],
  'nav.marketing': ['营销', 'Marketing'],
  'nav.flash-sales': ['限时秒杀', 'Flash sales'],
  'nav.group-buys': ['拼团', 'Group buys'],
  'nav.coupons': ['优惠券', 'Coupons'],
  'nav.promotion-rules': ['满减/限时折扣', 'Promotion rules'],
  'nav.lotteries': ['抽奖', 'Lotteries'],
  'nav.campaigns': ['活动', 'Campaigns'],
  'nav.merchants': ['商家管理', 'Merchants'],
  'nav.merchant-applications': ['入驻审核', 'Applications'],
  'nav.system': ['系统', 'System'],
  'nav.staff': ['员工与角色', 'Staff & roles'],
  'nav.audit-log': ['操作日志', 'Audit log'],
  'nav.ledger': ['结算账单', 'Settlement ledger'],
  'role.admin': ['超级管理员', 'Admin'],
  'role.operator': ['运营', 'Operator'],
  'role.support': ['客服', 'Support'],
  'role.merchant': ['商家', 'Merchant'],
  logout: ['退出登录', 'Sign out'],
  search: ['查询', 'Search'],
  reset: ['重置', 'Reset'],
  create: ['新建', 'Create'],
  edit: ['编辑', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  confirm: ['确定', 'OK'],
  actions: ['操作', 'Actions'],
  status: ['状态', 'Status'],
  detail: ['详情', 'Detail'],
  refresh: ['刷新', 'Refresh'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  createdAt: ['创建时间', 'Created'],
  forbidden: ['抱歉，您的角色无权访问此页面', 'Sorry, your role cannot use this page'],
  notFound: ['页面不存在', 'Page not found'],
  backHome: ['返回首页', 'Back home'],
  saved: ['已保存', 'Saved'],
  pendingRoute: ['该功能的服务端接口尚未上线', 'The server route for this screen is not available yet'],
} as const satisfies Record<string, readonly [string, string]>;
export type DictKey = keyof typeof DICT;

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: DictKey) => string;
  tr: (zh: string, en: string) => string;
}
const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    dayjs.locale(l === 'zh' ? 'zh-cn' : 'en');
    return l;
  });
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: keep it for this tab only */
    }
    dayjs.locale(l === 'zh' ? 'zh-cn' : 'en');
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key) => DICT[key][lang === 'zh' ? 0 : 1],
      tr: (zh, en) => (lang === 'zh' ? zh : en),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
