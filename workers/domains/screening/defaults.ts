/**
 * The dictionary a fresh install starts with (seeded once, then staff own it — see
 * dictionary.service.ts ensureDictionary). Pure data so the bench can use the same list.
 *
 * 广告法 第九条 forbids 国家级、最高级、最佳 and similar absolute terms; single characters like 最
 * and 第一 are claims only in some phrases, so the 'allow' entries list the ordinary phrases that
 * contain them (the longest match wins). Decided: 最新款 / 最新版 name a release, not a rank, and
 * pass; any other 最新… (最新科技) still meets 最 and goes to review.
 */
import type { DictEntry } from './matcher';

type Row = [term: string, severity: DictEntry['severity'], hint: string | null];

const group = (category: string, rows: Row[]): DictEntry[] => rows.map(([term, severity, hint]) => ({ term, category, severity, hint }));

const ABS = '广告法禁用绝对化用语';

export const DEFAULT_DICTIONARY: DictEntry[] = [
  ...group('ad_absolute', [
    ['最', 'review', `${ABS}：描述具体事实（如"最大承重50kg"）或删除"最"`],
    ['最佳', 'block', `${ABS}：改为"优选""出色"`],
    ['最好', 'block', `${ABS}：改为"很好""口碑好"`],
    ['最低价', 'block', `${ABS}：改为"优惠价"或写明具体价格`],
    ['最高级', 'block', `${ABS}：改为"高端"`],
    ['最便宜', 'block', `${ABS}：改为"实惠"`],
    ['最优', 'block', `${ABS}：改为"优质"`],
    ['第一', 'block', `${ABS}：删除排名用语，或写明有据可查的具体数据来源`],
    ['全网第一', 'block', `${ABS}：删除，或改为可核实的销量数据`],
    ['销量第一', 'block', `${ABS}：改为写明统计口径和时间的具体销量`],
    // 第1 with a digit is an ordinal as often as a rank (第1次, 第1步); only the rank phrases are listed
    ['销量第1', 'block', `${ABS}：改为写明统计口径和时间的具体销量`],
    ['全网第1', 'block', `${ABS}：删除，或改为可核实的销量数据`],
    ['国家级', 'block', `${ABS}：删除，或写明具体的认证/奖项名称`],
    ['世界级', 'block', `${ABS}：删除`],
    ['顶级', 'block', `${ABS}：改为"高品质"`],
    ['顶尖', 'block', `${ABS}：改为"优秀"`],
    ['绝对', 'block', `${ABS}：删除"绝对"`],
    ['100%有效', 'block', '不得保证功效：删除或改为"有效率以实际为准"'],
    ['史无前例', 'block', `${ABS}：删除`],
    ['万能', 'block', `${ABS}：写明具体适用范围`],
    ['唯一', 'review', `${ABS}：除非有据可查，删除"唯一"`],
    ['首选', 'review', `${ABS}：改为"推荐"`],
    ['独家', 'review', '须有授权证明，否则删除'],
    ['王牌', 'warn', '建议改为"明星款"'],
    ['极品', 'review', `${ABS}：改为"精品"`],
    ['top1', 'block', `${ABS}：删除排名用语`],
    ['无敌', 'review', `${ABS}：删除`],
    ['空前绝后', 'block', `${ABS}：删除`],
  ]),
  ...group('medical_claim', [
    ['特效', 'block', '非药品不得宣传疗效：删除'],
    ['根治', 'block', '非药品不得宣传疗效：删除'],
    ['治愈', 'block', '非药品不得宣传疗效：删除'],
    ['包治百病', 'block', '虚假宣传：删除'],
    ['药到病除', 'block', '虚假宣传：删除'],
    ['无副作用', 'block', '不得保证安全性：删除'],
    ['抗癌', 'block', '非药品不得宣传疗效：删除'],
    ['防癌', 'block', '非药品不得宣传疗效：删除'],
    ['降血压', 'review', '普通食品不得宣传保健功能：删除'],
    ['减肥', 'warn', '普通食品不得宣传减肥功效：改为"轻盈""低卡"'],
    ['壮阳', 'block', '违规功效宣传：删除'],
  ]),
  ...group('sensitive', [
    ['代开发票', 'block', '违法信息：删除'],
    ['刷单', 'block', '违规交易：删除'],
    ['高仿', 'block', '侵权商品：删除'],
    ['a货', 'block', '侵权商品：删除'],
    ['加微信', 'review', '禁止引导站外交易：删除联系方式'],
    ['私下交易', 'block', '禁止引导站外交易：删除'],
    ['赌博', 'block', '违法信息：删除'],
    ['枪支', 'block', '违禁品：删除'],
  ]),
  ...group('vulgar', [
    ['傻逼', 'block', '低俗用语：删除'],
    ['他妈的', 'block', '低俗用语：删除'],
    ['草泥马', 'block', '低俗用语：删除'],
    ['屌丝', 'warn', '低俗用语：建议删除'],
  ]),
  ...group('allow', [
    // 最 as time, order, a measured fact or advice
    ['最近', 'allow', null],
    ['最后', 'allow', null],
    ['最新款', 'allow', null],
    ['最新版', 'allow', null],
    ['最初', 'allow', null],
    ['最终', 'allow', null],
    ['最早', 'allow', null],
    ['最晚', 'allow', null],
    ['最迟', 'allow', null],
    ['最大承重', 'allow', null],
    ['最大容量', 'allow', null],
    ['最大功率', 'allow', null],
    ['最高温度', 'allow', null],
    ['最低温度', 'allow', null],
    ['最高时速', 'allow', null],
    ['最多可', 'allow', null],
    ['最少', 'allow', null],
    ['最好在', 'allow', null],
    ['最好不要', 'allow', null],
    ['最好先', 'allow', null],
    // 第一 as order, not rank
    ['第一次', 'allow', null],
    ['第一场', 'allow', null],
    ['第一步', 'allow', null],
    ['第一天', 'allow', null],
    ['第一件', 'allow', null],
    ['第一个', 'allow', null],
    ['第一层', 'allow', null],
    ['第一眼', 'allow', null],
    ['第一口', 'allow', null],
    ['第一周', 'allow', null],
    ['第一期', 'allow', null],
    ['第一批', 'allow', null],
    ['第一代', 'allow', null],
    ['第一时间', 'allow', null],
    ['第一章', 'allow', null],
    // ordinary product words that contain a term
    ['万能胶', 'allow', null],
    ['万能表', 'allow', null],
    ['绝对值', 'allow', null],
    ['特效妆', 'allow', null],
    ['治愈系', 'allow', null],
    ['国家强制性产品认证', 'allow', null],
    ['食品级', 'allow', null],
  ]),
];
