#!/usr/bin/env node
// A shop at scale in a local D1 database: by default 100,000 products (1–4 SKUs each, stock,
// a 3-level category tree, promotion rules, coupon templates, past flash sales) and 1,000,000 orders
// of 50,000 shoppers over the last 180 days, in every order status. For the load benchmark
// (bench/everyday.mjs) and the query-plan work of issue 16.
//
// It writes straight into the SQLite file that workerd keeps for the local D1 database (stop the
// server first: two writers on one file corrupt it) through the sqlite3 CLI. The catalogue, the
// shoppers and the promotions are generated here from a seeded PRNG (same sizes → same catalogue)
// and streamed in as SQL; the orders are generated inside SQLite with recursive CTEs, so a million
// rows never cross the pipe as text. Every product goes in through an ordinary INSERT, so the
// triggers the migrations define (the search index, the category listing) fill themselves.
//
// Idempotent: running it again on a database it already seeded with the same sizes changes
// nothing and prints the same kind of handles (read back from the database); different sizes are
// refused (seed a fresh database instead).
//
// Usage:
//   node bench/seed-scale.mjs (--db FILE | --persist DIR) [--products N] [--orders N] [--shoppers N]
//                             [--merchants N] [--pii-keys SPEC] [--quiet]
//   --persist DIR   the directory given to wrangler/Miniflare as persist root (e.g. .wrangler/state);
//                   the D1 file is found under DIR/v3/d1/miniflare-D1DatabaseObject/
//   --pii-keys      "kid:base64,…" as the Worker's PII_KEYS (default: $PII_KEYS, else .dev.vars).
//                   Addresses are encrypted with it, so createOrder/getOrder can decrypt them.
// Prints one JSON object (the handles, see seedScale) on stdout; progress goes to stderr.
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY = 86_400_000;
const MINUTE = 60_000;
const PLATFORM_MERCHANT = 'mch_platform';
/** Seeded merchants are mch_scale_01 …; their presence is how a second run recognises the shop. */
const merchantIdOf = (m) => `mch_scale_${String(m + 1).padStart(2, '0')}`;
/** Shoppers sign in with the sandbox login (`userLogin` with this code) as the seeded user. */
export const shopperCode = (u) => `scale-shopper-${u}`;

// ---------------------------------------------------------------------------------------------
// Vocabulary: top category → its brands, materials, spec dimension and price band; mid categories
// with five leaves each (10 × 10 × 5). Titles are brand + adjective + leaf + selling point, so
// searching a leaf name (水杯, 电热水壶) finds products the way a shopper would.

const TREE = [
  {
    name: '家居生活',
    brands: ['山川', '木槿', '素居', '拾光', '悠然', '暖家', '青禾', '简木'],
    materials: ['304不锈钢', '陶瓷', '玻璃', '实木', '纯棉', 'PP塑料', '竹纤维'],
    spec: ['颜色', ['白色', '黑色', '灰色', '蓝色']],
    price: [990, 29900],
    mids: {
      厨房用品: '保温杯,水杯,炒锅,菜刀,碗盘',
      家纺床品: '四件套,枕头,被子,毛毯,床垫',
      收纳整理: '收纳箱,收纳盒,衣架,置物架,挂钩',
      清洁用品: '拖把,扫把,垃圾袋,抹布,清洁剂',
      卫浴用品: '毛巾,浴巾,浴帘,地垫,牙刷架',
      家居装饰: '花瓶,挂画,相框,香薰,摆件',
      餐饮具: '筷子,勺子,餐盘,茶杯,酒杯',
      灯具照明: '台灯,吸顶灯,落地灯,小夜灯,灯泡',
      雨伞雨具: '折叠伞,长柄伞,雨衣,雨靴,伞套',
      家具: '沙发,餐桌,书架,椅子,鞋柜',
    },
  },
  {
    name: '数码电器',
    brands: ['极光', '声悦', '星河', '酷联', '锐影', '云途', '智芯', '迅驰'],
    materials: ['ABS塑料', '铝合金', '硅胶', '钢化玻璃'],
    spec: ['颜色', ['曜石黑', '珍珠白', '星空蓝', '玫瑰金']],
    price: [1990, 599900],
    mids: {
      手机通讯: '智能手机,老人机,手机壳,钢化膜,手机支架',
      耳机音箱: '蓝牙耳机,头戴耳机,蓝牙音箱,有线耳机,降噪耳机',
      电脑办公: '笔记本电脑,键盘,鼠标,显示器,路由器',
      手机配件: '充电器,数据线,充电宝,无线充,车载充',
      摄影摄像: '相机,镜头,三脚架,存储卡,稳定器',
      智能设备: '智能手表,手环,智能音箱,摄像头,智能门锁',
      游戏设备: '游戏机,手柄,游戏耳机,电竞椅,鼠标垫',
      存储设备: '移动硬盘,U盘,固态硬盘,读卡器,硬盘盒',
      影音娱乐: '投影仪,电视盒子,麦克风,声卡,播放器',
      数码配件: '电池,转换器,扩展坞,保护套,清洁套装',
    },
  },
  {
    name: '服饰鞋包',
    brands: ['衣恋', '风尚', '型男', '素衣', '简约派', '潮流前线', '秋水', '步履'],
    materials: ['纯棉', '涤纶', '羊毛', '真皮', '牛仔布', '亚麻'],
    spec: ['尺码', ['S', 'M', 'L', 'XL']],
    price: [2990, 89900],
    mids: {
      男装: 'T恤,衬衫,夹克,卫衣,休闲裤',
      女装: '连衣裙,半身裙,针织衫,风衣,阔腿裤',
      内衣家居: '文胸,内裤,睡衣,袜子,保暖内衣',
      男鞋: '运动鞋,皮鞋,板鞋,凉鞋,靴子',
      女鞋: '高跟鞋,单鞋,小白鞋,乐福鞋,雪地靴',
      箱包: '双肩包,行李箱,手提包,钱包,斜挎包',
      服饰配件: '帽子,围巾,手套,腰带,墨镜',
      童装: '儿童T恤,儿童裤,儿童外套,儿童鞋,儿童袜',
      珠宝首饰: '项链,手链,耳钉,戒指,发饰',
      手表眼镜: '机械表,石英表,眼镜框,老花镜,表带',
    },
  },
  {
    name: '美妆个护',
    brands: ['花漾', '颜如玉', '水润', '雪肌', '清颜', '初语', '芳菲', '露华'],
    materials: ['植物萃取', '玻尿酸', '烟酰胺', '天然成分'],
    spec: ['规格', ['30ml', '50ml', '100ml', '200ml']],
    price: [1990, 49900],
    mids: {
      面部护肤: '洗面奶,爽肤水,精华液,面霜,面膜',
      彩妆: '口红,粉底液,眼影,睫毛膏,眉笔',
      香水香氛: '女士香水,男士香水,香氛,身体喷雾,固体香膏',
      洗发护发: '洗发水,护发素,发膜,染发剂,护发精油',
      身体护理: '沐浴露,身体乳,护手霜,香皂,磨砂膏',
      口腔护理: '电动牙刷,牙膏,牙线,漱口水,冲牙器',
      男士护理: '剃须刀,须后水,男士洁面,男士面霜,理发器',
      美容工具: '化妆刷,美妆蛋,卷发棒,直发器,美容仪',
      女性护理: '卫生巾,护垫,私处护理,暖宫贴,月经杯',
      防晒: '防晒霜,防晒喷雾,晒后修复,防晒衣,遮阳帽',
    },
  },
  {
    name: '食品生鲜',
    brands: ['三只熊', '农家乐', '鲜果园', '茶山', '味之源', '谷香', '良品汇', '海之鲜'],
    materials: ['天然', '有机', '非转基因', '新鲜'],
    spec: ['规格', ['250g', '500g', '1kg', '2kg']],
    price: [990, 29900],
    mids: {
      休闲零食: '坚果,饼干,薯片,肉干,果干',
      茶叶: '绿茶,红茶,乌龙茶,普洱茶,花茶',
      饮料冲调: '咖啡,牛奶,果汁,矿泉水,麦片',
      粮油调味: '大米,食用油,酱油,面条,调味料',
      生鲜水果: '苹果,橙子,车厘子,猕猴桃,芒果',
      肉禽蛋品: '牛排,鸡蛋,猪肉,鸡胸肉,羊肉',
      海鲜水产: '虾仁,三文鱼,大闸蟹,鱿鱼,扇贝',
      酒类: '白酒,葡萄酒,啤酒,黄酒,果酒',
      糖果巧克力: '巧克力,软糖,棒棒糖,口香糖,牛轧糖',
      滋补保健: '蜂蜜,燕窝,枸杞,维生素,蛋白粉',
    },
  },
  {
    name: '母婴玩具',
    brands: ['贝贝乐', '小樱桃', '童趣', '宝贝计划', '萌宝', '乐童', '亲亲', '小象'],
    materials: ['食品级硅胶', '纯棉', 'PP', 'ABS'],
    spec: ['规格', ['小号', '中号', '大号', '加大号']],
    price: [990, 199900],
    mids: {
      奶粉辅食: '婴儿奶粉,羊奶粉,米粉,辅食,果泥',
      尿裤湿巾: '纸尿裤,拉拉裤,湿巾,隔尿垫,护臀膏',
      喂养用品: '奶瓶,吸奶器,辅食机,餐椅,围兜',
      童车童床: '婴儿车,婴儿床,安全座椅,学步车,背带',
      玩具: '积木,毛绒玩具,遥控车,拼图,玩具枪',
      益智玩具: '早教机,绘本,磁力片,魔方,画板',
      孕妇用品: '孕妇装,防辐射服,孕妇枕,妊娠油,哺乳文胸',
      婴童洗护: '婴儿沐浴露,婴儿润肤乳,爽身粉,婴儿洗衣液,浴盆',
      婴儿服饰: '连体衣,婴儿帽,口水巾,包被,婴儿袜',
      户外玩乐: '滑板车,儿童自行车,充气泳池,沙滩玩具,儿童帐篷',
    },
  },
  {
    name: '运动户外',
    brands: ['飞跃', '行者', '极限', '山野', '动力', '劲跑', '远征', '踏浪'],
    materials: ['尼龙', '涤纶', 'EVA', '碳纤维', '铝合金'],
    spec: ['尺码', ['S', 'M', 'L', 'XL']],
    price: [1990, 399900],
    mids: {
      运动鞋服: '跑步鞋,篮球鞋,运动裤,运动T恤,运动外套',
      健身器材: '哑铃,瑜伽垫,跑步机,健身车,弹力带',
      户外装备: '帐篷,睡袋,登山包,登山杖,头灯',
      骑行运动: '山地车,公路车,骑行服,头盔,码表',
      游泳用品: '泳衣,泳镜,泳帽,浮板,耳塞',
      球类运动: '篮球,足球,羽毛球拍,乒乓球拍,网球拍',
      垂钓用品: '鱼竿,鱼线,鱼饵,渔轮,钓箱',
      冲锋衣裤: '冲锋衣,抓绒衣,速干裤,软壳衣,防风衣',
      户外鞋靴: '登山鞋,徒步鞋,溯溪鞋,雪地鞋,户外凉鞋',
      滑雪装备: '滑雪板,滑雪服,滑雪镜,雪杖,护具',
    },
  },
  {
    name: '家用电器',
    brands: ['暖阳', '小厨', '极净', '安家', '清风', '沐光', '智家', '优品'],
    materials: ['不锈钢', 'ABS', '铝合金', '钢化玻璃'],
    spec: ['颜色', ['白色', '黑色', '银色', '金色']],
    price: [4990, 999900],
    mids: {
      厨房电器: '电饭煲,电热水壶,微波炉,空气炸锅,破壁机',
      生活电器: '吸尘器,扫地机器人,加湿器,电风扇,取暖器',
      大家电: '冰箱,洗衣机,空调,电视,热水器',
      个护电器: '电吹风,按摩仪,足浴盆,体重秤,剃毛器',
      净化电器: '空气净化器,净水器,除湿机,新风机,软水机',
      小厨电: '豆浆机,榨汁机,面包机,电饼铛,煮蛋器',
      清洁电器: '洗地机,除螨仪,蒸汽拖把,擦窗机器人,手持吸尘器',
      厨卫大电: '油烟机,燃气灶,洗碗机,消毒柜,集成灶',
      季节电器: '电暖器,冷风扇,电热毯,暖风机,驱蚊器',
      健康电器: '血压计,体温计,制氧机,雾化器,按摩椅',
    },
  },
  {
    name: '图书文具',
    brands: ['书香', '墨韵', '学而', '启航', '晨曦', '新知', '博文', '雅集'],
    materials: ['纸质', '胶版纸', '铜版纸', '木质'],
    spec: ['版本', ['平装', '精装', '套装', '典藏版']],
    price: [590, 39900],
    mids: {
      文学小说: '小说,散文,诗歌,传记,名著',
      童书: '儿童绘本,儿童文学,科普书,动漫书,拼音书',
      教辅: '练习册,试卷,字帖,词典,教材',
      经管励志: '管理书,经济书,投资书,励志书,营销书',
      文具: '钢笔,中性笔,记事本,文件夹,订书机',
      绘画用品: '水彩笔,油画棒,素描本,颜料,画笔',
      办公用品: '打印纸,计算器,白板,文件架,胶带',
      学生用品: '书包,笔袋,文具盒,台历,书立',
      艺术收藏: '书法,字画,邮票,纪念币,手办',
      乐器: '吉他,尤克里里,电子琴,口琴,架子鼓',
    },
  },
  {
    name: '汽车用品',
    brands: ['车之宝', '驰骋', '路友', '途安', '卡仕', '劲驰', '安途', '车乐'],
    materials: ['PU皮', '硅胶', 'ABS', '合金'],
    spec: ['规格', ['标准款', '升级款', '豪华款', '旗舰款']],
    price: [1990, 149900],
    mids: {
      车载电器: '行车记录仪,车载充电器,车载冰箱,车载吸尘器,车载净化器',
      汽车装饰: '座垫,脚垫,方向盘套,香薰挂件,遮阳挡',
      美容清洗: '洗车液,车蜡,洗车机,擦车巾,镀晶',
      维修保养: '机油,雨刮器,轮胎,火花塞,刹车片',
      安全自驾: '应急电源,充气泵,灭火器,牵引绳,警示牌',
      汽车影音: '车载音响,导航仪,倒车影像,车载播放器,蓝牙接收器',
      改装配件: '轮毂,尾翼,大灯,排气管,车身贴膜',
      摩托车: '摩托车头盔,骑行手套,摩托车锁,护膝,风镜',
      电动车: '电动自行车,电瓶,充电桩,电动车雨披,车筐',
      车载用品: '手机车载支架,收纳袋,颈枕,腰靠,车载垃圾桶',
    },
  },
];
const ADJECTIVES = [
  '新款',
  '加厚',
  '升级版',
  '大容量',
  '便携',
  '轻薄',
  '经典',
  '简约',
  '高端',
  '家用',
  '迷你',
  '多功能',
  '静音',
  '智能',
  '复古',
  '日式',
  '北欧风',
  '原创',
  '爆款',
  '加大',
];
const SELLING = [
  '包邮',
  '顺丰发货',
  '送礼佳品',
  '买二送一',
  '官方正品',
  '七天无理由',
  '限时特惠',
  '品质保障',
  '厂家直销',
  '现货速发',
  '好评如潮',
  '环保材质',
  '经久耐用',
  '防滑设计',
  '速干',
  '透气',
  '防水',
  '耐高温',
  '食品级',
  '母婴可用',
];
const ORIGINS = [
  '浙江义乌',
  '广东深圳',
  '广东佛山',
  '江苏苏州',
  '福建泉州',
  '山东青岛',
  '浙江永康',
  '河北保定',
  '四川成都',
  '上海',
  '北京',
  '湖北武汉',
  '云南普洱',
  '新疆阿克苏',
  '安徽合肥',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞婷雪琳晨宇浩然子涵欣怡梓轩';
const REGIONS = [
  ['浙江省', '杭州市', ['西湖区', '滨江区', '余杭区', '拱墅区'], '310000'],
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区', '龙岗区'], '518000'],
  ['广东省', '广州市', ['天河区', '海珠区', '越秀区', '番禺区'], '510000'],
  ['江苏省', '南京市', ['鼓楼区', '玄武区', '建邺区', '江宁区'], '210000'],
  ['上海市', '上海市', ['浦东新区', '徐汇区', '静安区', '闵行区'], '200000'],
  ['北京市', '北京市', ['朝阳区', '海淀区', '东城区', '丰台区'], '100000'],
  ['四川省', '成都市', ['武侯区', '锦江区', '高新区', '青羊区'], '610000'],
  ['湖北省', '武汉市', ['洪山区', '江汉区', '武昌区', '汉阳区'], '430000'],
  ['山东省', '青岛市', ['市南区', '崂山区', '黄岛区', '李沧区'], '266000'],
  ['福建省', '厦门市', ['思明区', '湖里区', '集美区', '海沧区'], '361000'],
];
const STREETS = ['文三路', '人民路', '中山路', '解放路', '建设路', '学院路', '新华路', '和平路', '长江路', '科技园路'];

/** The words the bench searches for: a 2-character and a 4-character leaf name. */
const SEARCH_WORDS = { two: '水杯', four: '电热水壶' };

// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so the same sizes give the same catalogue. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** An id shaped like the app's newId (prefix + 16 Crockford base32 characters), from the PRNG. */
const makeId = (rng) => (prefix) => {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[rng.int(32)];
  return `${prefix}_${out}`;
};

/** A shopper's ids are derived from their index, so a second run can name the same shoppers. */
function hashId(prefix, key) {
  const h = createHash('sha256').update(key).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[h[i] & 31];
  return `${prefix}_${out}`;
}

/** The openid the sandbox login derives from a code (workers/domains/users/users.service.ts). */
const sandboxOpenid = (code) => `sbx_${createHash('sha256').update(`wx:${code}`).digest('hex').slice(0, 28)}`;

const q = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const row = (values) => `(${values.map(q).join(',')})`;

/** PII_KEYS "kid:base64,…": the first key encrypts (as workers/shared/crypto.ts encryptPii does). */
function piiEncrypter(spec) {
  const [first] = spec.split(',');
  const [id, b64] = (first ?? '').trim().split(':');
  const raw = b64 ? Buffer.from(b64, 'base64') : null;
  if (!id || !raw || raw.length !== 32) throw new Error('PII keys must look like "kid:<32 bytes base64>[,…]"');
  // AES-256-GCM with the 16-byte tag appended to the ciphertext, as WebCrypto produces it.
  return (plain) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', raw, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `${id}.${iv.toString('base64')}.${ct.toString('base64')}`;
  };
}

/** PII_KEYS from the option, the environment or the repository's .dev.vars (what `npm run dev` uses). */
function resolvePiiKeys(given) {
  if (given) return given;
  if (process.env.PII_KEYS) return process.env.PII_KEYS;
  const devVars = path.join(ROOT, '.dev.vars');
  if (existsSync(devVars)) {
    const m = readFileSync(devVars, 'utf8').match(/^PII_KEYS\s*=\s*"?([^"\n]+)"?/m);
    if (m) return m[1].trim();
  }
  throw new Error(
    'no PII key: pass piiKeys / --pii-keys (the Worker’s PII_KEYS), set $PII_KEYS, or run `npm run dev` once to write .dev.vars',
  );
}

/**
 * The local D1 SQLite file under a wrangler/Miniflare persist directory
 * (`<persist>/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite`). `persistDir` may also be the
 * `v3` directory or the object directory itself. Exactly one database file must be there.
 */
export function findD1Sqlite(persistDir) {
  const candidates = [
    path.join(persistDir, 'v3', 'd1', 'miniflare-D1DatabaseObject'),
    path.join(persistDir, 'd1', 'miniflare-D1DatabaseObject'),
    persistDir,
  ];
  for (const dir of candidates) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
    if (files.length === 1) return path.join(dir, files[0]);
    if (files.length > 1) throw new Error(`more than one D1 database under ${dir}: ${files.join(', ')}; pass --db FILE`);
  }
  throw new Error(
    `no local D1 database under ${persistDir} (apply the migrations first: wrangler d1 migrations apply DB --local --persist-to ${persistDir})`,
  );
}

/** Runs a SQL script through the sqlite3 CLI (stops at the first error); resolves with stdout. */
function sqlite(dbPath, feed, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn('sqlite3', ['-bail', ...args, dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`sqlite3 exited ${code}: ${err.trim().slice(0, 2000)}`))));
    // A broken pipe shows up as the exit code above; the write error itself adds nothing.
    child.stdin.on('error', () => {});
    (async () => {
      if (typeof feed === 'string') child.stdin.write(feed);
      else
        for await (const chunk of feed) {
          if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
        }
      child.stdin.end();
    })().catch(reject);
  });
}

const queryJson = async (dbPath, sqlText) => {
  const out = await sqlite(dbPath, sqlText, ['-json']);
  return out.trim() ? JSON.parse(out) : [];
};

// ---------------------------------------------------------------------------------------------

/** Categories: 10 top, 10 mid each, 5 leaves each; ids and order fixed by the PRNG. */
function buildCategories(newId, now) {
  const rows = [];
  const mids = [];
  const leaves = [];
  TREE.forEach((top, ti) => {
    const topId = newId('cat');
    const topPath = `/${topId}/`;
    rows.push([topId, null, top.name, 1, topPath, ti * 10, 1, null, now - 400 * DAY, now - 400 * DAY]);
    Object.entries(top.mids).forEach(([midName, leafList], mi) => {
      const midId = newId('cat');
      const midPath = `${topPath}${midId}/`;
      rows.push([midId, topId, midName, 2, midPath, mi * 10, 1, null, now - 400 * DAY, now - 400 * DAY]);
      const mid = { id: midId, top: ti, leaves: [] };
      mids.push(mid);
      leafList.split(',').forEach((leafName, li) => {
        const leafId = newId('cat');
        rows.push([leafId, midId, leafName, 3, `${midPath}${leafId}/`, li * 10, 1, null, now - 400 * DAY, now - 400 * DAY]);
        const leaf = { id: leafId, name: leafName, top: ti, mid: mids.length - 1 };
        mid.leaves.push(leaf);
        leaves.push(leaf);
      });
    });
  });
  return { rows, mids, leaves };
}

/**
 * Products go to mid categories with a Zipf-like skew (weight 1/rank^0.6 over a fixed shuffle):
 * some shelves are crowded, most are modest — the top one holds ~7% of the catalogue, so even a
 * 1,000-product shop has a category with 40+ products to page through.
 */
function midPicker(rng, mids) {
  // 厨房用品 and 厨房电器 lead (their leaves 水杯 and 电热水壶 are the bench's search words), the rest
  // follow in a fixed shuffle.
  const lead = [0, 70].filter((i) => i < mids.length);
  const order = [
    ...lead,
    ...mids
      .map((_, i) => i)
      .filter((i) => !lead.includes(i))
      .sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101)),
  ];
  const weights = order.map((_, rank) => 1 / Math.pow(rank + 1, 0.6));
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w / total));
  return () => {
    const x = rng.next();
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return mids[order[lo]];
  };
}

/** Yields the catalogue as INSERT statements (500 rows each) and fills `catalog` for the later steps. */
function* catalogSql({ rng, newId, now, products, merchantCount, categories, catalog }) {
  const pickMid = midPicker(rng, categories.mids);
  // Each merchant sells in one top category (two merchants per top category with 20 merchants);
  // a few products in every category are the platform's own (自营).
  const merchantsOfTop = TREE.map((_, t) => [...Array(merchantCount).keys()].filter((m) => m % TREE.length === t).map(merchantIdOf));
  const productCols =
    'id, merchant_id, category_id, title, subtitle, material, origin, attributes, spec_dims, detail_html, main_media_key, media_keys, status, min_price, max_price, total_stock, sales_count, version, created_at, updated_at, published_at, deleted_at';
  const skuCols =
    'id, product_id, spec_values, spec_key, price, original_price, cost, member_price, stock, low_stock_threshold, barcode, weight_g, media_key, enabled, created_at, updated_at';
  const made = [];
  for (let i = 0; i < products; i++) {
    const mid = pickMid();
    const leaf = mid.leaves[rng.int(mid.leaves.length)];
    const top = TREE[leaf.top];
    const own = merchantsOfTop[leaf.top];
    const merchantId = rng.next() < 0.05 || own.length === 0 ? PLATFORM_MERCHANT : own[rng.int(own.length)];
    const brand = rng.pick(top.brands);
    const material = rng.pick(top.materials);
    const title = `${brand} ${rng.next() < 0.4 ? material : ''}${rng.pick(ADJECTIVES)}${leaf.name} ${rng.pick(SELLING)}`;
    const subtitle = `${rng.pick(SELLING)}，${rng.pick(SELLING)}`;
    const created = now - rng.int(365 * DAY);
    const roll = rng.int(100);
    const deleted = roll === 99;
    const status = deleted ? 'off_sale' : roll < 90 ? 'on_sale' : roll < 94 ? 'off_sale' : roll < 97 ? 'draft' : 'pending_review';
    const productId = newId('prd');
    const nSku = 1 + rng.int(4);
    const [dimName, dimValues] = top.spec;
    const values = nSku === 1 ? [] : dimValues.slice(0, nSku);
    const [lo, hi] = top.price;
    const base = Math.round((lo + Math.pow(rng.next(), 3) * (hi - lo)) / 100) * 100 - 10;
    let minPrice = Infinity;
    let maxPrice = 0;
    let totalStock = 0;
    const skuList = [];
    const sRows = [];
    for (let k = 0; k < nSku; k++) {
      const price = base + k * Math.round(base * 0.1);
      const stockRoll = rng.int(100);
      // Mostly ordinary stock, some sold out or low, some deep (the bench's buy-now SKUs).
      const stock = stockRoll < 8 ? 0 : stockRoll < 16 ? 1 + rng.int(9) : stockRoll < 90 ? 20 + rng.int(480) : 5000 + rng.int(45000);
      const skuId = newId('sku');
      const specValues = values.length ? [values[k]] : [];
      sRows.push([
        skuId,
        productId,
        JSON.stringify(specValues),
        specValues.join('/'),
        price,
        Math.round((price * 1.25) / 100) * 100,
        Math.round(price * 0.6),
        null,
        stock,
        10,
        null,
        100 + rng.int(2900),
        null,
        1,
        created,
        created,
      ]);
      minPrice = Math.min(minPrice, price);
      maxPrice = Math.max(maxPrice, price);
      totalStock += stock;
      skuList.push({ id: skuId, price, stock });
    }
    // Sales follow a long tail: most products sell a little, a few sell thousands.
    const sales = Math.floor(Math.exp(rng.next() * 9)) - 1;
    const pRow = [
      productId,
      merchantId,
      leaf.id,
      title,
      subtitle,
      material,
      rng.pick(ORIGINS),
      JSON.stringify({ 品牌: brand }),
      JSON.stringify(values.length ? [{ name: dimName, values }] : []),
      `<p>${title}</p><p>${subtitle}</p>`,
      null,
      '[]',
      status,
      minPrice,
      maxPrice,
      totalStock,
      sales,
      1,
      created,
      created,
      status === 'on_sale' ? created : null,
      deleted ? created + rng.int(Math.max(1, now - created)) : null,
    ];
    made.push({ created, pRow, sRows });
    catalog.products.push({ id: productId, merchantId, leaf, status: deleted ? 'deleted' : status, skus: skuList });
  }
  // Inserted oldest first, as a shop fills up: the insert trigger numbers products (seq) in
  // creation order, which the search's newest-first walk relies on.
  made.sort((a, b) => a.created - b.created);
  for (let i = 0; i < made.length; i += 500) {
    const part = made.slice(i, i + 500);
    yield `INSERT INTO products (${productCols}) VALUES\n${part.map((m) => row(m.pRow)).join(',\n')};\n`;
    yield `INSERT INTO skus (${skuCols}) VALUES\n${part.flatMap((m) => m.sRows.map(row)).join(',\n')};\n`;
  }
}

/** Shoppers (WeChat sign-in, sandbox openids) with one encrypted default address each. */
function* shopperSql({ rng, now, shoppers, encrypt }) {
  let uRows = [];
  let aRows = [];
  let tRows = [];
  for (let u = 0; u < shoppers; u++) {
    const userId = hashId('usr', `scale-user:${u}`);
    const addressId = hashId('adr', `scale-address:${u}`);
    const created = now - 200 * DAY + rng.int(15 * DAY);
    const [province, city, districts, postal] = REGIONS[rng.int(REGIONS.length)];
    const address = {
      name: SURNAMES[rng.int(SURNAMES.length)] + GIVEN[rng.int(GIVEN.length)] + (rng.next() < 0.5 ? GIVEN[rng.int(GIVEN.length)] : ''),
      phone: `1${3 + rng.int(6)}${String(rng.int(1e9)).padStart(9, '0')}`,
      province,
      city,
      district: districts[rng.int(districts.length)],
      detail: `${rng.pick(STREETS)}${1 + rng.int(300)}号${1 + rng.int(20)}幢${1 + rng.int(30)}0${1 + rng.int(4)}室`,
      postalCode: postal,
    };
    const openid = sandboxOpenid(shopperCode(u));
    uRows.push([userId, openid, null, null, null, `微信用户${openid.slice(-4)}`, null, 'active', created, now - rng.int(30 * DAY)]);
    aRows.push([
      addressId,
      userId,
      encrypt(address.name),
      encrypt(address.phone),
      province,
      city,
      address.district,
      encrypt(address.detail),
      postal,
      1,
      created,
      created,
      null,
    ]);
    // The order snapshot of the same address (what createOrder stores in orders.address_enc).
    tRows.push([u, userId, encrypt(JSON.stringify(address)), province]);
    if (uRows.length === 500 || u === shoppers - 1) {
      yield `INSERT INTO users (id, openid, unionid, phone_enc, phone_hash, nickname, avatar_media_key, status, created_at, last_login_at) VALUES\n${uRows.map(row).join(',\n')};\n`;
      yield `INSERT INTO addresses (id, user_id, name_enc, phone_enc, province, city, district, detail_enc, postal_code, is_default, created_at, updated_at, deleted_at) VALUES\n${aRows.map(row).join(',\n')};\n`;
      yield `INSERT INTO temp._s_user (u, user_id, address_enc, region) VALUES\n${tRows.map(row).join(',\n')};\n`;
      uRows = [];
      aRows = [];
      tRows = [];
    }
  }
}

/**
 * A few hundred promotions over the catalogue: 满减/满折/限时折扣 rules and coupon templates per
 * merchant and for the platform (most ended, some live, a few upcoming), and past flash sales that
 * were already wound up (live or upcoming ones need the SKU's Durable Object: create those through
 * createFlashSale). Returns SQL and the ids of the claimable templates (for the shoppers' coupons).
 */
function promotionsSql({ rng, newId, now, merchantCount, categories, catalog }) {
  const out = [];
  const onSale = catalog.products.filter((p) => p.status === 'on_sale');
  const owners = [PLATFORM_MERCHANT, ...[...Array(merchantCount).keys()].map(merchantIdOf)];
  const window = (i) => {
    // 1 in 10 live now, 1 in 20 upcoming, the rest ended at some point in the last 180 days.
    if (i % 10 === 0) return [now - (1 + rng.int(20)) * DAY, now + (5 + rng.int(25)) * DAY];
    if (i % 20 === 5) return [now + (1 + rng.int(10)) * DAY, now + (15 + rng.int(10)) * DAY];
    const end = now - rng.int(180) * DAY - DAY;
    return [end - (3 + rng.int(14)) * DAY, end];
  };
  const scopeFor = (merchantId) => {
    const r = rng.int(10);
    if (r < 5) return { type: 'all' };
    if (r < 8) return { type: 'categories', ids: [rng.pick(categories.mids).id, rng.pick(categories.leaves).id] };
    const own = onSale.filter((p) => merchantId === PLATFORM_MERCHANT || p.merchantId === merchantId);
    const ids = [...new Set(Array.from({ length: 5 }, () => rng.pick(own.length ? own : onSale).id))];
    return { type: 'products', ids };
  };
  const campaigns = [];
  for (let c = 0; c < 6; c++) {
    const [starts, ends] = c === 0 ? [now - 3 * DAY, now + 20 * DAY] : [now - (30 * c + 10) * DAY, now - 30 * c * DAY];
    const id = newId('cmp');
    campaigns.push({ id, starts, ends });
    out.push(
      `INSERT INTO campaigns (id, name, description, starts_at, ends_at, segment, budget, budget_used, banners, popup, flash_sale_ids, priority, status, created_by, created_at) VALUES ${row(
        [
          id,
          ['双十一狂欢', '年货节', '618大促', '周年庆', '开学季', '春季上新'][c],
          '规模测试活动',
          starts,
          ends,
          JSON.stringify({ kind: 'all' }),
          500_000_00,
          rng.int(100_000_00),
          '[]',
          null,
          '[]',
          c,
          'active',
          'scale-seed',
          starts - DAY,
        ],
      )};\n`,
    );
  }
  const ruleRows = [];
  for (let i = 0; i < 300; i++) {
    const merchantId = owners[i % owners.length];
    const [starts, ends] = window(i);
    const kind = ['full_reduction', 'full_reduction', 'full_discount', 'limited_time'][rng.int(4)];
    const campaign = i % 7 === 0 ? campaigns.find((c) => c.starts <= starts && ends <= c.ends + 30 * DAY) : undefined;
    let tiers = [];
    let label;
    let basis = 'amount';
    let rate = null;
    if (kind === 'full_reduction') {
      const t = 9900 + 10000 * rng.int(20);
      tiers = [
        { threshold: t, off: Math.round(t / 1000) * 100 },
        { threshold: t * 2, off: Math.round(t / 400) * 100 },
      ];
      label = `满${t / 100}减${tiers[0].off / 100}`;
    } else if (kind === 'full_discount') {
      basis = 'quantity';
      tiers = [
        { threshold: 2, rate: 95 },
        { threshold: 3, rate: 88 },
      ];
      label = '满2件95折';
    } else {
      rate = 70 + rng.int(25);
      label = `限时${rate / 10}折`;
    }
    ruleRows.push([
      newId('prm'),
      merchantId,
      kind,
      `${label} #${i + 1}`,
      label,
      JSON.stringify(
        kind === 'limited_time' ? { type: 'products', ids: scopeFor(merchantId).ids ?? [rng.pick(onSale).id] } : scopeFor(merchantId),
      ),
      basis,
      JSON.stringify(tiers),
      0,
      null,
      rate,
      null,
      rng.int(10),
      campaign?.id ?? null,
      starts,
      ends,
      'active',
      'scale-seed',
      starts - DAY,
      starts - DAY,
    ]);
  }
  out.push(
    `INSERT INTO promotion_rules (id, merchant_id, kind, name, label, scope, basis, tiers, repeat, cap, rate, prices, priority, campaign_id, starts_at, ends_at, status, created_by, created_at, updated_at) VALUES\n${ruleRows.map(row).join(',\n')};\n`,
  );
  const tplRows = [];
  const claimable = [];
  for (let i = 0; i < 200; i++) {
    const merchantId = owners[i % owners.length];
    const [starts, ends] = window(i + 3);
    const kind = ['amount_off', 'amount_off', 'percent_off', 'free_shipping'][rng.int(4)];
    const threshold = kind === 'free_shipping' ? 0 : 4900 + 5000 * rng.int(10);
    const id = newId('cpt');
    if (starts <= now && now < ends) claimable.push({ id, merchantId, starts, ends });
    tplRows.push([
      id,
      merchantId,
      `${kind === 'amount_off' ? `满${threshold / 100}减${Math.round(threshold / 1000)}` : kind === 'percent_off' ? '9折券' : '包邮券'} #${i + 1}`,
      kind,
      threshold,
      kind === 'amount_off' ? Math.round(threshold / 1000) * 100 : null,
      kind === 'percent_off' ? 90 : null,
      kind === 'percent_off' ? 5000 : null,
      JSON.stringify(kind === 'free_shipping' ? { type: 'all' } : scopeFor(merchantId)),
      starts,
      ends,
      null,
      starts,
      ends,
      10_000_000,
      0,
      0,
      5,
      JSON.stringify(['storefront']),
      null,
      null,
      null,
      'active',
      'scale-seed',
      starts - DAY,
    ]);
  }
  out.push(
    `INSERT INTO coupon_templates (id, merchant_id, name, kind, threshold, amount_off, rate, max_off, scope, valid_from, valid_to, valid_days, claim_starts_at, claim_ends_at, total_quantity, issued_count, used_count, per_user_limit, channels, code, pack_order, campaign_id, status, created_by, created_at) VALUES\n${tplRows.map(row).join(',\n')};\n`,
  );
  const saleRows = [];
  for (let i = 0; i < 120; i++) {
    const p = rng.pick(onSale);
    const sku = rng.pick(p.skus);
    const ends = now - (1 + rng.int(170)) * DAY;
    const starts = ends - 2 * 3600_000;
    const allocated = 50 + rng.int(450);
    const sold = Math.min(allocated, Math.floor(allocated * (0.5 + rng.next() / 2)));
    const id = newId('fls');
    saleRows.push([
      id,
      sku.id,
      p.id,
      p.merchantId,
      Math.max(100, Math.round((sku.price * 0.6) / 100) * 100 - 10),
      allocated,
      1 + rng.int(3),
      starts,
      ends,
      15 * MINUTE,
      'active',
      starts - DAY,
      id,
      `${10 + rng.int(12)}:00场`,
      0,
      sold,
      0,
      ends + MINUTE,
      allocated - sold,
      ends + 2 * MINUTE,
    ]);
  }
  out.push(
    `INSERT INTO flash_sales (id, sku_id, product_id, merchant_id, sale_price, allocated, per_shopper_limit, starts_at, ends_at, reservation_ttl_ms, status, created_at, series_id, round_label, require_token, sold_units, reserved_units, reconciled_at, returned_units, returned_at) VALUES\n${saleRows.map(row).join(',\n')};\n`,
  );
  return { sql: out.join(''), claimable };
}

/**
 * The order history, generated inside SQLite. Each order belongs to one merchant (checkout splits
 * per merchant) and has 1–3 lines of that merchant's SKUs; its status follows its age the way the
 * app moves orders along (unpaid orders close after 30 minutes, shipped ones auto-complete after
 * 15 days, completed ones settle after the 15-day after-sales window), so nothing seeded is
 * overdue for the cron. 30% of orders come from the heaviest 5% of shoppers.
 */
function ordersSql({ orders, shoppers, now, productRowidFloor }) {
  const span = 180 * DAY;
  const heavy = Math.max(1, Math.floor(shoppers * 0.05));
  return `
-- SKUs that orders may contain (anything once on sale), numbered per merchant and overall.
CREATE TEMP TABLE _s_merchant AS SELECT row_number() OVER (ORDER BY id) - 1 AS m, id, commission_bps FROM merchants
  WHERE id IN (SELECT DISTINCT merchant_id FROM products WHERE rowid > ${productRowidFloor});
CREATE TEMP TABLE _s_sku (m INTEGER, k INTEGER, sku_id TEXT, product_id TEXT, title TEXT, spec_key TEXT, price INTEGER, PRIMARY KEY (m, k)) WITHOUT ROWID;
INSERT INTO _s_sku SELECT mm.m, row_number() OVER (PARTITION BY mm.m ORDER BY s.rowid) - 1, s.id, p.id, p.title, s.spec_key, s.price
  FROM products p JOIN skus s ON s.product_id = p.id JOIN _s_merchant mm ON mm.id = p.merchant_id
  WHERE p.rowid > ${productRowidFloor} AND p.status IN ('on_sale', 'off_sale');
CREATE TEMP TABLE _s_count AS SELECT m, count(*) AS n FROM _s_sku GROUP BY m;
CREATE TEMP TABLE _s_all (g INTEGER PRIMARY KEY, m INTEGER, k INTEGER);
INSERT INTO _s_all SELECT row_number() OVER (ORDER BY m, k) - 1, m, k FROM _s_sku;

-- One row per order with its random draws: shopper, first SKU, line count, age, status roll.
CREATE TEMP TABLE _s_o (i INTEGER PRIMARY KEY, id TEXT, chk TEXT, u INTEGER, g INTEGER, nl INTEGER, created INTEGER, r INTEGER);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${orders - 1})
INSERT INTO _s_o SELECT i, 'ord_' || lower(hex(randomblob(8))), 'chk_' || lower(hex(randomblob(8))),
  CASE WHEN abs(random()) % 10 < 3 THEN abs(random()) % ${heavy} ELSE abs(random()) % ${shoppers} END,
  abs(random()) % (SELECT count(*) FROM _s_all),
  CASE WHEN abs(random()) % 100 < 55 THEN 1 WHEN abs(random()) % 100 < 66 THEN 2 ELSE 3 END,
  -- a few of them in the last 25 minutes, so even a small shop has unpaid orders
  ${now} - CASE WHEN i < ${Math.max(20, Math.floor(orders / 2000))} THEN abs(random()) % ${25 * MINUTE} ELSE abs(random()) % ${span} END,
  abs(random()) % 100
FROM n;

-- Lines: the first SKU, then up to two more of the same merchant (a repeated SKU merges, as in the app).
CREATE TEMP TABLE _s_pick (i INTEGER, m INTEGER, k INTEGER, qty INTEGER);
INSERT INTO _s_pick SELECT o.i, a.m, a.k, 1 + (abs(random()) % 10 = 0) FROM _s_o o JOIN _s_all a ON a.g = o.g;
INSERT INTO _s_pick SELECT o.i, a.m, abs(random()) % c.n, 1 + (abs(random()) % 10 = 0)
  FROM _s_o o JOIN (SELECT 2 AS j UNION ALL SELECT 3) j ON j.j <= o.nl JOIN _s_all a ON a.g = o.g JOIN _s_count c ON c.m = a.m;
CREATE TEMP TABLE _s_l (i INTEGER, sku_id TEXT, product_id TEXT, title TEXT, spec_key TEXT, price INTEGER, qty INTEGER, PRIMARY KEY (i, sku_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO _s_l SELECT p.i, s.sku_id, s.product_id, s.title, s.spec_key, s.price, p.qty
  FROM _s_pick p JOIN _s_sku s ON s.m = p.m AND s.k = p.k ORDER BY p.i;
DROP TABLE _s_pick;

-- Status by age and roll; the time columns follow from it.
CREATE TEMP TABLE _s_os AS SELECT o.i, o.id, o.chk, o.u, a.m, o.created, ${now} - o.created AS age, g.goods,
  CASE
    WHEN o.r < 4 THEN 'cancelled'
    WHEN o.r < 9 THEN CASE WHEN ${now} - o.created < ${30 * MINUTE} THEN 'pending_payment' ELSE 'closed' END
    WHEN ${now} - o.created < ${30 * MINUTE} THEN CASE WHEN o.r < 40 THEN 'pending_payment' ELSE 'paid' END
    WHEN ${now} - o.created < ${2 * DAY} THEN 'paid'
    WHEN ${now} - o.created < ${4 * DAY} THEN CASE WHEN o.r < 20 THEN 'paid' ELSE 'shipped' END
    WHEN ${now} - o.created < ${10 * DAY} THEN CASE WHEN o.r < 40 THEN 'shipped' WHEN o.r < 70 OR ${now} - o.created < ${6 * DAY} THEN 'delivered' ELSE 'completed' END
    WHEN ${now} - o.created < ${15 * DAY} THEN CASE WHEN o.r < 30 THEN 'shipped' ELSE 'completed' END
    ELSE 'completed'
  END AS st
FROM _s_o o JOIN _s_all a ON a.g = o.g JOIN (SELECT i, sum(price * qty) AS goods FROM _s_l GROUP BY i) g ON g.i = o.i;

INSERT INTO checkouts (id, user_id, idempotency_key, request_hash, payable_total, status, expires_at, created_at)
SELECT x.chk, u.user_id, 'scale-' || x.i, 'scale-seed', x.goods + (CASE WHEN x.goods >= 9900 THEN 0 ELSE 800 END),
  CASE x.st WHEN 'pending_payment' THEN 'pending_payment' WHEN 'cancelled' THEN 'closed' WHEN 'closed' THEN 'closed' ELSE 'paid' END,
  x.created + ${30 * MINUTE}, x.created
FROM _s_os x JOIN _s_user u ON u.u = x.u;

INSERT INTO orders (id, order_no, checkout_id, user_id, merchant_id, status, goods_total, discount_total, shipping_fee, payable_total,
  paid_total, refunded_total, discounts, address_enc, address_region, buyer_note, seller_note, created_at, expires_at, paid_at,
  shipped_at, delivered_at, completed_at, cancelled_at, closed_at, close_reason, auto_confirm_at, settled_at, version)
SELECT x.id,
  -- date + 10 digits; i × an odd constant not divisible by 5 is a bijection mod 10^10, so the numbers are unique
  strftime('%Y%m%d', x.created / 1000, 'unixepoch') || printf('%010d', (x.i * 2654435761) % 10000000000),
  x.chk, u.user_id, mm.id, x.st, x.goods, 0, ship, x.goods + ship,
  CASE WHEN x.st IN ('pending_payment', 'cancelled', 'closed') THEN 0 ELSE x.goods + ship END, 0, '[]',
  u.address_enc, u.region, '', '', x.created, x.created + ${30 * MINUTE},
  CASE WHEN x.st IN ('pending_payment', 'cancelled', 'closed') THEN NULL ELSE x.created + ${2 * MINUTE} END,
  CASE WHEN x.st IN ('shipped', 'delivered', 'completed') THEN x.created + ${DAY} END,
  CASE WHEN x.st IN ('delivered', 'completed') THEN x.created + ${3 * DAY} END,
  CASE WHEN x.st = 'completed' THEN x.created + ${5 * DAY} END,
  CASE WHEN x.st = 'cancelled' THEN x.created + ${5 * MINUTE} END,
  CASE WHEN x.st = 'closed' THEN x.created + ${30 * MINUTE} END,
  CASE x.st WHEN 'cancelled' THEN '买家取消' WHEN 'closed' THEN 'payment timeout' END,
  CASE x.st WHEN 'shipped' THEN x.created + ${16 * DAY} WHEN 'delivered' THEN x.created + ${10 * DAY} END,
  CASE WHEN x.st = 'completed' AND x.created + ${20 * DAY} < ${now} THEN x.created + ${20 * DAY + MINUTE} END,
  1
FROM (SELECT *, CASE WHEN goods >= 9900 THEN 0 ELSE 800 END AS ship FROM _s_os) x
  JOIN _s_user u ON u.u = x.u JOIN _s_merchant mm ON mm.m = x.m
ORDER BY x.i;

INSERT INTO order_lines (id, order_id, sku_id, product_id, title, spec_key, media_key, unit_price, quantity, line_total, discount_share, payable, refunded_quantity, refunded_amount)
SELECT 'oln_' || lower(hex(randomblob(8))), o.id, l.sku_id, l.product_id, l.title, l.spec_key, NULL, l.price, l.qty, l.price * l.qty, 0, l.price * l.qty, 0, 0
FROM _s_l l JOIN _s_o o ON o.i = l.i;

-- Settled orders carry their ledger credits, as the settlement flow writes them.
INSERT INTO merchant_ledger (id, merchant_id, order_id, type, amount, created_at)
SELECT 'mlg_' || lower(hex(randomblob(8))), o.merchant_id, o.id, 'sale', o.paid_total - o.refunded_total, o.settled_at
FROM orders o JOIN _s_os x ON x.id = o.id WHERE o.settled_at IS NOT NULL;
INSERT INTO merchant_ledger (id, merchant_id, order_id, type, amount, created_at)
SELECT 'mlg_' || lower(hex(randomblob(8))), o.merchant_id, o.id, 'commission', -((o.paid_total - o.refunded_total) * mm.commission_bps + 5000) / 10000, o.settled_at
FROM orders o JOIN _s_os x ON x.id = o.id JOIN _s_merchant mm ON mm.id = o.merchant_id WHERE o.settled_at IS NOT NULL;
`;
}

/** Carts (a fifth of the shoppers, 1–8 lines of in-stock SKUs) and claimed coupons (0–3 each). */
function cartsAndCouponsSql({ shoppers, now, productRowidFloor, claimable }) {
  const carts = Math.max(1, Math.floor(shoppers / 5));
  const tplValues = claimable.map((t, i) => row([i, t.id, t.merchantId, t.starts, t.ends])).join(',');
  return `
CREATE TEMP TABLE _s_sell (g INTEGER PRIMARY KEY, sku_id TEXT, product_id TEXT, price INTEGER);
INSERT INTO _s_sell SELECT row_number() OVER (ORDER BY s.rowid) - 1, s.id, s.product_id, s.price
  FROM skus s JOIN products p ON p.id = s.product_id
  WHERE p.rowid > ${productRowidFloor} AND p.status = 'on_sale' AND p.deleted_at IS NULL AND s.enabled = 1 AND s.stock > 0;
WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < ${carts * 8 - 1})
INSERT OR IGNORE INTO cart_items (id, owner_id, sku_id, product_id, quantity, selected, added_price, created_at, updated_at)
SELECT 'cit_' || lower(hex(randomblob(8))), u.user_id, s.sku_id, s.product_id, 1 + abs(random()) % 2, abs(random()) % 4 > 0, s.price, t, t
FROM (SELECT j / 8 AS u, j % 8 AS k, abs(random()) % (SELECT count(*) FROM _s_sell) AS g, ${now} - abs(random()) % ${20 * DAY} AS t FROM n) c
  JOIN _s_user u ON u.u = c.u JOIN _s_sell s ON s.g = c.g
WHERE c.k < 1 + (c.u * 7 + 3) % 8;
${
  claimable.length
    ? `CREATE TEMP TABLE _s_tpl (t INTEGER PRIMARY KEY, id TEXT, merchant_id TEXT, starts INTEGER, ends INTEGER);
INSERT INTO _s_tpl VALUES ${tplValues};
WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < ${shoppers * 3 - 1})
INSERT OR IGNORE INTO user_coupons (id, template_id, user_id, merchant_id, channel, grant_key, status, valid_from, valid_to, checkout_id, order_id, used_at, created_at)
SELECT 'ucp_' || lower(hex(randomblob(8))), t.id, u.user_id, t.merchant_id, 'storefront', 'scale:' || t.id, 'available', t.starts, t.ends, NULL, NULL, NULL, t.starts
FROM (SELECT j / 3 AS u, j % 3 AS k, abs(random()) % ${claimable.length} AS t FROM n) c JOIN _s_user u ON u.u = c.u JOIN _s_tpl t ON t.t = c.t
WHERE c.k < (c.u * 5 + 1) % 4;
UPDATE coupon_templates SET issued_count = (SELECT count(*) FROM user_coupons WHERE template_id = coupon_templates.id) WHERE id IN (SELECT id FROM _s_tpl);`
    : ''
}
-- Every seeded unit has a reason in the ledger, and low SKUs have their open alert, as createProduct leaves them.
INSERT INTO stock_ledger (id, sku_id, product_id, delta, stock_after, reason, note, ref, actor_id, created_at)
SELECT 'stl_' || lower(hex(randomblob(8))), s.id, s.product_id, s.stock, s.stock, 'initial', 'scale seed', NULL, NULL, s.created_at
FROM skus s JOIN products p ON p.id = s.product_id WHERE p.rowid > ${productRowidFloor} AND s.stock > 0;
INSERT OR IGNORE INTO inventory_alerts (id, sku_id, product_id, merchant_id, stock, threshold, status, created_at)
SELECT 'alr_' || lower(hex(randomblob(8))), s.id, s.product_id, p.merchant_id, s.stock, s.low_stock_threshold, 'open', s.created_at
FROM skus s JOIN products p ON p.id = s.product_id WHERE p.rowid > ${productRowidFloor} AND s.enabled = 1 AND s.stock <= s.low_stock_threshold;
`;
}

// ---------------------------------------------------------------------------------------------

/** What the bench needs to address the seeded shop, read back from the database (the whole catalogue is the seed's). */
async function readHandles(dbPath, { shoppers }) {
  const [merchants] = await queryJson(
    dbPath,
    "SELECT json_group_array(id) AS ids FROM (SELECT id FROM merchants WHERE id LIKE 'mch\\_scale\\_%' ESCAPE '\\' ORDER BY id);",
  );
  const merchantIds = JSON.parse(merchants.ids);
  const visible = "p.status = 'on_sale' AND p.deleted_at IS NULL";
  // The mid-level category with the most products on sale (≥ 40 in any shop this script makes);
  // else the top-level one, for tiny shops.
  const [mid] = await queryJson(
    dbPath,
    `SELECT leaf.parent_id AS id, count(*) AS n FROM products p JOIN categories leaf ON leaf.id = p.category_id
     WHERE ${visible} GROUP BY leaf.parent_id ORDER BY n DESC LIMIT 1;`,
  );
  let category = { id: mid?.id ?? null, level: 2, onSale: mid?.n ?? 0 };
  if (category.onSale < 40) {
    const [top] = await queryJson(
      dbPath,
      `SELECT m.parent_id AS id, count(*) AS n FROM products p JOIN categories leaf ON leaf.id = p.category_id JOIN categories m ON m.id = leaf.parent_id
       WHERE ${visible} GROUP BY m.parent_id ORDER BY n DESC LIMIT 1;`,
    );
    if (top) category = { id: top.id, level: 1, onSale: top.n };
  }
  const productIds = (await queryJson(dbPath, `SELECT id FROM products p WHERE ${visible} ORDER BY random() LIMIT 200;`)).map((r) => r.id);
  // In-stock SKUs with deep stock, for buy-now quotes and orders.
  const skuIds = (
    await queryJson(
      dbPath,
      `SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id WHERE ${visible} AND s.enabled = 1 AND s.stock >= 5000 ORDER BY random() LIMIT 200;`,
    )
  ).map((r) => r.id);
  // How many on-sale products hold each search word in their title or subtitle (a one-off scan).
  const searchCounts = {};
  for (const [k, w] of Object.entries(SEARCH_WORDS)) {
    const [c] = await queryJson(
      dbPath,
      `SELECT count(*) AS n FROM products p WHERE ${visible} AND (instr(p.title, ${q(w)}) > 0 OR instr(p.subtitle, ${q(w)}) > 0);`,
    );
    searchCounts[k] = c.n;
  }
  // A sample of shoppers spread over the index range (the first ones are heavy buyers).
  const sample = [...new Set([0, 1, 2, ...Array.from({ length: 197 }, (_, i) => Math.floor(((i + 1) * shoppers) / 198))])].filter(
    (u) => u < shoppers,
  );
  const ids = sample.map((u) => hashId('usr', `scale-user:${u}`));
  const counts = new Map(
    (await queryJson(dbPath, `SELECT user_id, count(*) AS n FROM orders WHERE user_id IN (${ids.map(q).join(',')}) GROUP BY user_id;`)).map(
      (r) => [r.user_id, r.n],
    ),
  );
  const shopperRows = sample
    .map((u, i) => ({ id: ids[i], code: shopperCode(u), addressId: hashId('adr', `scale-address:${u}`), orders: counts.get(ids[i]) ?? 0 }))
    .filter((s) => s.orders > 0);
  const byStatus = Object.fromEntries(
    (await queryJson(dbPath, 'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status;')).map((r) => [r.status, r.n]),
  );
  const [sizes] = await queryJson(
    dbPath,
    `SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM products p WHERE ${visible}) AS on_sale, (SELECT count(*) FROM skus) AS skus;`,
  );
  return {
    products: sizes.products,
    productsOnSale: sizes.on_sale,
    skus: sizes.skus,
    merchantIds,
    categoryId: category.id,
    categoryLevel: category.level,
    categoryOnSale: category.onSale,
    productIds,
    skuIds,
    searchWords: { ...SEARCH_WORDS },
    searchCounts,
    shopperIds: shopperRows.map((s) => s.id),
    shoppers: shopperRows,
    orderCounts: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
  };
}

/**
 * Seeds a shop at scale into a local D1 SQLite file that already has the migrations applied.
 * Idempotent: if this script already seeded the same sizes there, nothing is written and the
 * handles are read back; other sizes are refused.
 *
 * @param {object} o
 * @param {string} o.dbPath    the D1 SQLite file (see findD1Sqlite); the Worker must not be running
 * @param {number} [o.products=100000]
 * @param {number} [o.orders=1000000]
 * @param {number} [o.shoppers]  default min(50,000, max(100, orders / 20))
 * @param {number} [o.merchants=20]
 * @param {string} [o.piiKeys]  the Worker's PII_KEYS (default $PII_KEYS, else .dev.vars)
 * @param {number} [o.now=Date.now()]
 * @param {(msg: string) => void} [o.log]
 * @returns {Promise<object>} handles: { merchantIds, categoryId, productIds, skuIds, searchWords,
 *   shopperIds, shoppers: [{ id, code, addressId, orders }], orderCounts, … , reused, seconds }
 */
export async function seedScale({
  dbPath,
  products = 100_000,
  orders = 1_000_000,
  shoppers,
  merchants = 20,
  piiKeys,
  now = Date.now(),
  log = () => {},
}) {
  const t0 = Date.now();
  shoppers ??= Math.min(50_000, Math.max(100, Math.floor(orders / 20)));
  for (const [k, v] of Object.entries({ products, orders, shoppers, merchants }))
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer, got ${v}`);
  if (merchants > 99) throw new Error('at most 99 merchants');
  if (!existsSync(dbPath)) throw new Error(`${dbPath} does not exist`);
  const [state] = await queryJson(
    dbPath,
    "SELECT count(*) AS tables FROM sqlite_master WHERE type = 'table' AND name IN ('products', 'orders', 'merchants', 'category_products');",
  );
  if (state.tables < 4) throw new Error(`${dbPath} lacks the edgemall schema (through migration 0013): apply the migrations first`);
  const [seeded] = await queryJson(
    dbPath,
    `SELECT (SELECT count(*) FROM merchants WHERE id LIKE 'mch\\_scale\\_%' ESCAPE '\\') AS merchants,
            (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM categories) AS categories,
            (SELECT count(*) FROM checkouts WHERE idempotency_key LIKE 'scale-%') AS orders;`,
  );
  if (seeded.merchants > 0) {
    const handles = await readHandles(dbPath, { shoppers });
    // The bench may have added orders and products since; compare what only this script wrote.
    if (seeded.merchants !== merchants || seeded.orders !== orders || handles.products < products || handles.products > products * 1.05)
      throw new Error(
        `${dbPath} was already seeded at another size (${seeded.merchants} merchants, ${handles.products} products, ${seeded.orders} orders); seed a fresh database`,
      );
    log(`already seeded (${handles.products} products, ${seeded.orders} orders): nothing written`);
    return { ...handles, reused: true, seconds: (Date.now() - t0) / 1000 };
  }
  // The scale shop's top categories reuse the demo shop's names, and its handles describe the whole
  // catalogue: it goes into a database without one.
  if (seeded.products > 0 || seeded.categories > 0)
    throw new Error(
      `${dbPath} already has a catalogue (${seeded.products} products, ${seeded.categories} categories): seed a fresh database`,
    );

  const encrypt = piiEncrypter(resolvePiiKeys(piiKeys));
  const rng = prng(0x5eed ^ products ^ (orders << 7));
  const newId = makeId(rng);
  const [{ floor }] = await queryJson(dbPath, 'SELECT COALESCE(max(rowid), 0) AS floor FROM products;');
  const categories = buildCategories(newId, now);
  const catalog = { products: [] };

  log(`seeding ${products} products, ${orders} orders, ${shoppers} shoppers, ${merchants} merchants into ${dbPath}`);
  const merchantRows = [...Array(merchants).keys()].map((m) => [
    merchantIdOf(m),
    `规模商户${String(m + 1).padStart(2, '0')}`,
    'active',
    300 + 50 * (m % 6),
    now - 400 * DAY,
  ]);
  const catalogChunks = catalogSql({ rng, newId, now, products, merchantCount: merchants, categories, catalog });
  const steps = [];
  // One transaction per phase; synchronous=OFF because a failed seed is simply redone on a fresh file.
  const head = 'PRAGMA synchronous = OFF;\nPRAGMA cache_size = -1000000;\nPRAGMA temp_store = MEMORY;\n';
  async function* phase1() {
    yield head;
    yield 'BEGIN;\n';
    yield `INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES\n${merchantRows.map(row).join(',\n')};\n`;
    yield `INSERT INTO categories (id, parent_id, name, level, path, sort_order, enabled, icon_media_key, created_at, updated_at) VALUES\n${categories.rows.map(row).join(',\n')};\n`;
    let n = 0;
    for (const chunk of catalogChunks) {
      yield chunk;
      // Chunks alternate products and their SKUs, 500 products at a time.
      if (++n % 40 === 0) log(`  products: ${Math.min(products, n * 250)}`);
    }
    yield 'COMMIT;\n';
  }
  let t = Date.now();
  await sqlite(dbPath, phase1());
  steps.push(['catalogue', Date.now() - t]);
  log(`catalogue: ${catalog.products.length} products in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const promos = promotionsSql({ rng, newId, now, merchantCount: merchants, categories, catalog });
  // A million rows into a dozen indexes is mostly random B-tree inserts; building an index once
  // over the loaded table is a sort. So the order tables' own indexes (not the primary keys) are
  // dropped and re-created inside the same transaction: a failure rolls the schema back with it.
  const bulkIndexes = await queryJson(
    dbPath,
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('orders', 'order_lines', 'checkouts', 'merchant_ledger');",
  );
  async function* phase2() {
    yield head;
    yield 'BEGIN;\n';
    yield 'CREATE TEMP TABLE _s_user (u INTEGER PRIMARY KEY, user_id TEXT, address_enc TEXT, region TEXT);\n';
    yield* shopperSql({ rng, now, shoppers, encrypt });
    yield promos.sql;
    yield 'COMMIT;\nBEGIN;\n';
    for (const i of bulkIndexes) yield `DROP INDEX "${i.name}";\n`;
    yield ordersSql({ orders, shoppers, now, productRowidFloor: floor });
    for (const i of bulkIndexes) yield `${i.sql};\n`;
    yield 'COMMIT;\nBEGIN;\n';
    yield cartsAndCouponsSql({ shoppers, now, productRowidFloor: floor, claimable: promos.claimable });
    yield 'COMMIT;\n';
  }
  t = Date.now();
  await sqlite(dbPath, phase2());
  steps.push(['shoppers, promotions, orders', Date.now() - t]);
  log(`shoppers, promotions and orders in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const handles = await readHandles(dbPath, { shoppers });
  return { ...handles, reused: false, seconds: (Date.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = {};
  const num = (v, name) => {
    const n = Number(String(v).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--db') opts.dbPath = next();
    else if (a === '--persist') opts.persist = next();
    else if (a === '--products') opts.products = num(next(), a);
    else if (a === '--orders') opts.orders = num(next(), a);
    else if (a === '--shoppers') opts.shoppers = num(next(), a);
    else if (a === '--merchants') opts.merchants = num(next(), a);
    else if (a === '--pii-keys') opts.piiKeys = next();
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help || (!opts.dbPath && !opts.persist)) {
      console.error(
        'usage: node bench/seed-scale.mjs (--db FILE | --persist DIR) [--products 100000] [--orders 1000000] [--shoppers N] [--merchants 20] [--pii-keys SPEC] [--quiet]',
      );
      process.exit(opts.help ? 0 : 1);
    }
    const dbPath = opts.dbPath ?? findD1Sqlite(opts.persist);
    const handles = await seedScale({ ...opts, dbPath, log: opts.quiet ? () => {} : (m) => console.error(`[seed-scale] ${m}`) });
    console.log(JSON.stringify({ dbPath, ...handles }, null, 2));
  } catch (e) {
    console.error(`[seed-scale] error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
