/**
 * The demo shop that `npm run dev` seeds: a Chinese general-merchandise catalogue with a 3-level
 * category tree and ~60 products. Pure data (plus the small pure helpers that expand it into SKUs):
 * nothing here touches a service, so it can be read, linted and tested on its own.
 *
 * Money is integer fen (4990 = ¥49.90). Products reference their leaf category by its name path.
 */

export const PLATFORM_MERCHANT = 'mch_platform';
export const TEA_MERCHANT = { id: 'mch_demo_tea', name: '山野茶铺', commissionBps: 800 } as const;

/** A category and its children; leaves have no `children`. */
export interface DemoCategory {
  name: string;
  children?: DemoCategory[];
}

export type CategoryPath = readonly [string, string, string];

export interface DemoSpecDim {
  name: string;
  values: string[];
}

export interface DemoSku {
  specValues: string[];
  price: number;
  originalPrice: number;
  cost: number;
  stock: number;
  lowStockThreshold: number;
  weightG: number;
  barcode: string;
}

export interface DemoProduct {
  merchantId: string;
  categoryPath: CategoryPath;
  title: string;
  subtitle: string;
  material: string;
  origin: string;
  attributes: Record<string, string>;
  detailHtml: string;
  specDims: DemoSpecDim[];
  skus: DemoSku[];
  /** Base colour (#rrggbb) of the generated product image. */
  color: string;
}

/** Top level › second level › leaf. Order here is the display order (sortOrder). */
export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    name: '家居生活',
    children: [
      { name: '厨房用品', children: [{ name: '保温杯' }, { name: '水杯' }, { name: '碗盘餐具' }] },
      { name: '家纺床品', children: [{ name: '四件套' }, { name: '枕头' }] },
      { name: '收纳整理', children: [{ name: '收纳箱' }] },
    ],
  },
  {
    name: '数码电器',
    children: [
      { name: '耳机音箱', children: [{ name: '蓝牙耳机' }, { name: '蓝牙音箱' }] },
      { name: '手机配件', children: [{ name: '充电器' }, { name: '数据线' }] },
    ],
  },
  {
    name: '服饰鞋包',
    children: [
      { name: '男装', children: [{ name: 'T恤' }, { name: '衬衫' }] },
      { name: '女装', children: [{ name: '连衣裙' }, { name: '卫衣' }] },
      { name: '箱包', children: [{ name: '双肩包' }] },
    ],
  },
  {
    name: '个护清洁',
    children: [
      { name: '毛巾浴巾', children: [{ name: '毛巾' }, { name: '浴巾' }] },
      { name: '口腔护理', children: [{ name: '电动牙刷' }, { name: '牙膏' }] },
    ],
  },
  {
    name: '食品茶饮',
    children: [
      { name: '茶叶', children: [{ name: '绿茶' }, { name: '乌龙茶' }, { name: '红茶' }] },
      { name: '休闲零食', children: [{ name: '坚果炒货' }] },
    ],
  },
];

/** The compact form products are written in; `expandProduct` turns it into a DemoProduct. */
interface ProductSpec {
  merchant?: string;
  path: CategoryPath;
  title: string;
  subtitle: string;
  material: string;
  origin: string;
  attrs: Record<string, string>;
  /** Selling points: the detail page's bullet list. */
  points: string[];
  color: string;
  dims?: DemoSpecDim[];
  /** Price and strike-through price of the cheapest combination, in fen. */
  price: number;
  original: number;
  /** Spec value → fen added to price and original price (e.g. the bigger size costs more). */
  delta?: Record<string, number>;
  /** Cost as a percentage of price (default 55). */
  costPct?: number;
  /** Stock of every SKU (default: a deterministic 60–459). */
  stock?: number;
  /** Stock of particular SKUs by spec key ("雾霾蓝/750ml"; "" for a product without specs). */
  stockOf?: Record<string, number>;
  threshold?: number;
  weightG: number;
}

const P = (s: ProductSpec) => s;

const SPECS: ProductSpec[] = [
  // ---------- 家居生活 › 厨房用品 › 保温杯 ----------
  P({
    path: ['家居生活', '厨房用品', '保温杯'],
    title: '316不锈钢保温杯 大容量便携',
    subtitle: '24小时长效保温 一键弹盖 单手开合 通勤出游都好带',
    material: '316不锈钢内胆 + 304不锈钢外壳',
    origin: '浙江永康',
    attrs: { 品牌: '山川家居', 保温时长: '24小时', 适用场景: '通勤/户外' },
    points: ['316医用级不锈钢内胆，耐酸耐腐蚀', '真空双层结构，热水24小时仍有60℃以上', '硅胶密封圈，倒置不漏水'],
    color: '#4f7cac',
    dims: [
      { name: '颜色', values: ['月光白', '曜石黑', '雾霾蓝'] },
      { name: '容量', values: ['500ml', '750ml'] },
    ],
    price: 8900,
    original: 12900,
    delta: { '750ml': 2000 },
    stockOf: { '雾霾蓝/750ml': 3 },
    weightG: 380,
  }),
  P({
    path: ['家居生活', '厨房用品', '保温杯'],
    title: '儿童保温杯 吸管款 防漏防摔',
    subtitle: '双盖设计 吸管直饮两用 幼儿园小学生适用',
    material: '316不锈钢 + 食品级PP',
    origin: '浙江永康',
    attrs: { 品牌: '山川家居', 容量: '450ml', 适用年龄: '3岁以上' },
    points: ['重力球吸管，躺着也能喝', '硅胶防摔底套', '配背带，方便出行'],
    color: '#6dbf8b',
    dims: [{ name: '颜色', values: ['小恐龙绿', '独角兽粉', '太空蓝'] }],
    price: 6900,
    original: 9900,
    weightG: 320,
  }),
  P({
    path: ['家居生活', '厨房用品', '保温杯'],
    title: '车载保温杯 大容量带茶隔 商务款',
    subtitle: '茶水分离 泡茶不苦涩 车载杯架通用',
    material: '304不锈钢',
    origin: '浙江金华',
    attrs: { 品牌: '行者', 保温时长: '12小时' },
    points: ['可拆卸不锈钢茶隔', '杯身直径7.3cm，适配大多数车载杯架', '激光刻字服务（下单备注）'],
    color: '#3d3d46',
    dims: [
      { name: '颜色', values: ['商务黑', '香槟金'] },
      { name: '容量', values: ['600ml', '1000ml'] },
    ],
    price: 7900,
    original: 11900,
    delta: { '1000ml': 2000 },
    weightG: 450,
  }),
  P({
    path: ['家居生活', '厨房用品', '保温杯'],
    title: '迷你口袋保温杯 200ml 轻巧随身',
    subtitle: '手掌大小 放进口袋 一杯刚好一次喝完',
    material: '纯钛内胆',
    origin: '浙江永康',
    attrs: { 品牌: '山川家居', 容量: '200ml', 重量: '约150g' },
    points: ['纯钛内胆，无金属异味', '小巧杯身，女生包包轻松放下', '磨砂外壳防滑'],
    color: '#e8a0b4',
    dims: [{ name: '颜色', values: ['奶白', '樱花粉', '薄荷绿'] }],
    price: 12900,
    original: 16900,
    costPct: 50,
    weightG: 150,
  }),

  // ---------- 家居生活 › 厨房用品 › 水杯 ----------
  P({
    path: ['家居生活', '厨房用品', '水杯'],
    title: '高硼硅玻璃水杯 双层隔热 带盖',
    subtitle: '双层玻璃不烫手 冷热皆宜 咖啡茶饮都合适',
    material: '高硼硅玻璃',
    origin: '河北沧州',
    attrs: { 品牌: '简物', 耐温: '-20℃~150℃' },
    points: ['双层中空结构，隔热防烫', '高硼硅材质，可用沸水冲泡', '竹木杯盖防尘'],
    color: '#8fc7d8',
    dims: [{ name: '容量', values: ['300ml', '450ml'] }],
    price: 3990,
    original: 5990,
    delta: { '450ml': 1000 },
    weightG: 260,
  }),
  P({
    path: ['家居生活', '厨房用品', '水杯'],
    title: '运动水杯 大容量吨吨桶 2L 带刻度',
    subtitle: '时间刻度提醒喝水 健身房户外必备',
    material: 'Tritan 食品级塑料',
    origin: '广东东莞',
    attrs: { 品牌: '动力派', 容量: '2000ml' },
    points: ['Tritan材质，不含双酚A', '弹盖吸管双饮口', '防漏锁扣，可单手开合'],
    color: '#9b6fd1',
    dims: [{ name: '颜色', values: ['渐变紫', '渐变蓝', '渐变橙'] }],
    price: 4990,
    original: 6990,
    weightG: 420,
  }),
  P({
    path: ['家居生活', '厨房用品', '水杯'],
    title: '陶瓷马克杯 带盖带勺 办公室水杯',
    subtitle: '景德镇手工釉色 早餐咖啡牛奶杯',
    material: '高温陶瓷',
    origin: '江西景德镇',
    attrs: { 品牌: '瓷言', 容量: '400ml', 可用微波炉: '是' },
    points: ['1280℃高温烧制，釉面光滑易清洗', '附赠不锈钢搅拌勺', '可进微波炉和洗碗机'],
    color: '#f1cf6b',
    dims: [{ name: '颜色', values: ['奶油黄', '雾蓝', '纯白'] }],
    price: 2990,
    original: 4590,
    weightG: 420,
  }),

  // ---------- 家居生活 › 厨房用品 › 碗盘餐具 ----------
  P({
    path: ['家居生活', '厨房用品', '碗盘餐具'],
    title: '釉下彩陶瓷碗盘套装 10件 家用',
    subtitle: '釉下彩工艺 健康无铅 新婚乔迁送礼',
    material: '陶瓷',
    origin: '江西景德镇',
    attrs: { 品牌: '瓷言', 件数: '10件（4碗4盘2汤勺）' },
    points: ['釉下彩，图案不掉色', '可用微波炉、消毒柜', '礼盒包装'],
    color: '#5a8fbf',
    price: 15900,
    original: 22900,
    weightG: 3200,
  }),
  P({
    path: ['家居生活', '厨房用品', '碗盘餐具'],
    title: '304不锈钢筷子 防滑防霉 10双装',
    subtitle: '实心方头防滚 可高温消毒 一家人够用',
    material: '304不锈钢',
    origin: '广东揭阳',
    attrs: { 品牌: '简物', 长度: '23cm', 数量: '10双' },
    points: ['实心筷身，不藏污纳垢', '防滑螺纹，夹菜稳', '耐高温，可放消毒柜'],
    color: '#a7adb5',
    price: 3590,
    original: 4990,
    weightG: 520,
  }),
  P({
    path: ['家居生活', '厨房用品', '碗盘餐具'],
    title: '整竹砧板 加厚双面切菜板',
    subtitle: '一面切生一面切熟 不易开裂',
    material: '楠竹',
    origin: '福建南平',
    attrs: { 品牌: '竹里', 厚度: '2.5cm' },
    points: ['整竹拼接，高温碳化防霉', '双面可用，生熟分开', '带挂孔，方便沥干'],
    color: '#c9a16a',
    dims: [{ name: '尺寸', values: ['小号 36×24cm', '大号 44×30cm'] }],
    price: 5990,
    original: 7990,
    delta: { '大号 44×30cm': 2000 },
    weightG: 1600,
  }),

  // ---------- 家居生活 › 家纺床品 ----------
  P({
    path: ['家居生活', '家纺床品', '四件套'],
    title: '全棉四件套 简约纯色 床单被套',
    subtitle: '100%长绒棉 40支贡缎 亲肤柔软',
    material: '100%棉',
    origin: '江苏南通',
    attrs: { 品牌: '棉语', 支数: '40支', 工艺: '活性印染' },
    points: ['A类婴幼儿标准，可直接接触皮肤', '活性印染，多次水洗不褪色', '被套拉链开口，方便换洗'],
    color: '#c8b79c',
    dims: [
      { name: '颜色', values: ['燕麦色', '雾霾蓝', '浅灰'] },
      { name: '规格', values: ['1.5m床', '1.8m床'] },
    ],
    price: 29900,
    original: 45900,
    delta: { '1.8m床': 4000 },
    weightG: 2600,
  }),
  P({
    path: ['家居生活', '家纺床品', '四件套'],
    title: '天丝四件套 夏季冰丝凉感',
    subtitle: '莱赛尔纤维 丝滑凉爽 夏天睡得更舒服',
    material: '莱赛尔天丝',
    origin: '江苏南通',
    attrs: { 品牌: '棉语', 适用季节: '夏季' },
    points: ['天丝纤维，吸湿透气', '手感顺滑，不起球', '可机洗（冷水轻柔档）'],
    color: '#7fb5a5',
    dims: [
      { name: '颜色', values: ['月白', '青绿'] },
      { name: '规格', values: ['1.5m床', '1.8m床'] },
    ],
    price: 39900,
    original: 59900,
    delta: { '1.8m床': 5000 },
    weightG: 2300,
  }),
  P({
    path: ['家居生活', '家纺床品', '四件套'],
    title: '水洗棉四件套 ins风格纹',
    subtitle: '水洗工艺 自然褶皱 越洗越软',
    material: '水洗棉',
    origin: '浙江绍兴',
    attrs: { 品牌: '织梦', 风格: '北欧简约' },
    points: ['预缩水洗，不变形', '格纹设计，百搭卧室风格', '四件套含枕套两只'],
    color: '#d9a38f',
    dims: [{ name: '规格', values: ['1.5m床', '1.8m床'] }],
    price: 19900,
    original: 29900,
    delta: { '1.8m床': 3000 },
    weightG: 2400,
  }),
  P({
    path: ['家居生活', '家纺床品', '枕头'],
    title: '泰国天然乳胶枕 护颈 单只装',
    subtitle: '高低波浪曲线 贴合颈椎 透气不闷热',
    material: '天然乳胶（含量93%）',
    origin: '泰国',
    attrs: { 品牌: '眠乡', 尺寸: '60×40×10/12cm' },
    points: ['天然乳胶，回弹支撑', '蜂窝透气孔设计', '附赠天丝枕套'],
    color: '#e6dcc3',
    price: 16900,
    original: 25900,
    weightG: 1300,
  }),
  P({
    path: ['家居生活', '家纺床品', '枕头'],
    title: '荞麦壳枕头 单人 软硬可调',
    subtitle: '可加减荞麦壳 调节高度 老人孩子都适用',
    material: '荞麦壳 + 全棉外套',
    origin: '内蒙古赤峰',
    attrs: { 品牌: '眠乡', 填充重量: '约2kg' },
    points: ['精选去尘荞麦壳', '拉链开口，可自行增减', '全棉外套可拆洗'],
    color: '#b08d57',
    price: 7900,
    original: 11900,
    weightG: 2200,
  }),

  // ---------- 家居生活 › 收纳整理 › 收纳箱 ----------
  P({
    path: ['家居生活', '收纳整理', '收纳箱'],
    title: '可折叠布艺收纳箱 大号 衣物整理',
    subtitle: '不用时可折叠 换季衣物被子轻松收',
    material: '牛津布 + 纸板',
    origin: '浙江义乌',
    attrs: { 品牌: '有序', 可折叠: '是' },
    points: ['加厚牛津布，防潮防尘', '侧面提手，搬运方便', '透明视窗，一眼看到里面'],
    color: '#a5a58d',
    dims: [
      { name: '颜色', values: ['米白', '灰色'] },
      { name: '容量', values: ['中号 35L', '大号 55L'] },
    ],
    price: 3990,
    original: 5990,
    delta: { '大号 55L': 1000 },
    weightG: 900,
  }),
  P({
    path: ['家居生活', '收纳整理', '收纳箱'],
    title: '透明塑料收纳箱 带轮 可叠加',
    subtitle: '万向轮推拉省力 卡扣锁紧 可叠放',
    material: 'PP塑料',
    origin: '浙江台州',
    attrs: { 品牌: '有序', 是否带轮: '是' },
    points: ['高透PP材质，内容一目了然', '带4个静音万向轮', '箱盖承重30kg，可叠放'],
    color: '#9cc4e4',
    dims: [{ name: '容量', values: ['45L', '70L'] }],
    price: 4990,
    original: 6990,
    delta: { '70L': 2000 },
    weightG: 2100,
  }),
  P({
    path: ['家居生活', '收纳整理', '收纳箱'],
    title: '桌面收纳盒 抽屉式 化妆品文具',
    subtitle: '三层抽屉 桌面瞬间整洁',
    material: 'ABS塑料',
    origin: '浙江义乌',
    attrs: { 品牌: '有序', 层数: '3层' },
    points: ['抽屉顺滑，带防脱设计', '圆角边缘不刮手', '底部防滑脚垫'],
    color: '#f4b6c2',
    dims: [{ name: '颜色', values: ['白色', '粉色'] }],
    price: 2990,
    original: 3990,
    stockOf: { 粉色: 3 },
    weightG: 700,
  }),

  // ---------- 数码电器 › 耳机音箱 › 蓝牙耳机 ----------
  P({
    path: ['数码电器', '耳机音箱', '蓝牙耳机'],
    title: '真无线蓝牙耳机 主动降噪 长续航',
    subtitle: '-42dB深度降噪 单次8小时 总续航30小时',
    material: 'ABS + 亲肤硅胶',
    origin: '广东深圳',
    attrs: { 品牌: '悦声', 蓝牙版本: '5.3', 续航: '30小时', 防水等级: 'IPX5' },
    points: ['混合主动降噪，地铁通勤更安静', '低延迟游戏模式', '双设备同时连接'],
    color: '#2e2f38',
    dims: [{ name: '颜色', values: ['曜石黑', '珍珠白'] }],
    price: 29900,
    original: 39900,
    costPct: 45,
    weightG: 60,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙耳机'],
    title: '运动蓝牙耳机 挂耳式 防汗防掉',
    subtitle: '跑步健身不掉落 IPX7防水',
    material: 'TPU + 记忆钛丝',
    origin: '广东东莞',
    attrs: { 品牌: '动力派', 防水等级: 'IPX7', 续航: '12小时' },
    points: ['记忆钛丝耳挂，稳固舒适', '汗水雨水都不怕', '10分钟快充，听歌2小时'],
    color: '#f08a3c',
    dims: [{ name: '颜色', values: ['活力橙', '经典黑'] }],
    price: 15900,
    original: 19900,
    weightG: 45,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙耳机'],
    title: '骨传导耳机 开放式不入耳',
    subtitle: '不堵耳朵 骑行跑步能听到路况更安全',
    material: '钛合金 + 硅胶',
    origin: '广东深圳',
    attrs: { 品牌: '悦声', 佩戴方式: '后挂式', 重量: '28g' },
    points: ['骨传导发声，长时间佩戴不胀痛', '钛合金骨架，轻盈有韧性', '内置32GB存储，可游泳听歌'],
    color: '#4d7ea8',
    dims: [{ name: '颜色', values: ['深空灰', '湖水蓝'] }],
    price: 49900,
    original: 59900,
    costPct: 50,
    stockOf: { 湖水蓝: 3 },
    weightG: 28,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙耳机'],
    title: '头戴式蓝牙耳机 降噪游戏耳机',
    subtitle: '40mm大动圈 沉浸式音效 折叠便携',
    material: '蛋白皮耳罩 + 铝合金头梁',
    origin: '广东深圳',
    attrs: { 品牌: '悦声', 续航: '60小时', 接口: 'Type-C' },
    points: ['大尺寸动圈单元，低频饱满', '蛋白皮耳罩，久戴不闷', '可折叠，附收纳包'],
    color: '#545b66',
    dims: [{ name: '颜色', values: ['黑色', '白色'] }],
    price: 39900,
    original: 49900,
    // Entirely out of stock: the storefront shows it as sold out.
    stock: 0,
    weightG: 280,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙音箱'],
    title: '便携蓝牙音箱 户外防水 重低音',
    subtitle: 'IPX7防水 可挂背包 露营野餐好伙伴',
    material: 'ABS + 防水网布',
    origin: '广东深圳',
    attrs: { 品牌: '悦声', 功率: '20W', 续航: '16小时' },
    points: ['双被动振膜，低音有力', '两台可配对立体声', '挂绳设计，户外随身'],
    color: '#5f7a4a',
    dims: [{ name: '颜色', values: ['军绿', '石墨黑'] }],
    price: 19900,
    original: 25900,
    weightG: 540,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙音箱'],
    title: '复古木质蓝牙音箱 桌面收音机',
    subtitle: 'FM收音 蓝牙 插卡三合一 胡桃木纹',
    material: '胡桃木 + 铝合金',
    origin: '广东惠州',
    attrs: { 品牌: '旧时光', 功率: '10W' },
    points: ['实木箱体，声音温暖', '复古旋钮，调音手感好', '可作床头闹钟'],
    color: '#7a4e2d',
    price: 25900,
    original: 32900,
    weightG: 1200,
  }),

  // ---------- 数码电器 › 手机配件 ----------
  P({
    path: ['数码电器', '手机配件', '充电器'],
    title: '65W氮化镓充电器 多口快充',
    subtitle: '2C1A三口 笔记本手机平板一个全搞定',
    material: 'PC阻燃外壳',
    origin: '广东深圳',
    attrs: { 品牌: '极充', 功率: '65W', 接口: '2×Type-C + 1×USB-A' },
    points: ['氮化镓芯片，体积小发热低', '支持PD/QC多协议', '折叠插脚，方便携带'],
    color: '#e9ecef',
    dims: [{ name: '颜色', values: ['白色', '黑色'] }],
    price: 12900,
    original: 16900,
    weightG: 120,
  }),
  P({
    path: ['数码电器', '手机配件', '充电器'],
    title: '20W PD快充头 苹果手机适用',
    subtitle: '30分钟充至50% 小巧便携',
    material: 'PC阻燃外壳',
    origin: '广东东莞',
    attrs: { 品牌: '极充', 功率: '20W', 接口: 'Type-C' },
    points: ['PD3.0快充协议', '多重安全保护', '3C认证'],
    color: '#f8f9fa',
    price: 3990,
    original: 5990,
    weightG: 45,
  }),
  P({
    path: ['数码电器', '手机配件', '充电器'],
    title: '磁吸无线充电宝 10000mAh',
    subtitle: '吸上就充 自带支架 可上飞机',
    material: '铝合金 + PC',
    origin: '广东深圳',
    attrs: { 品牌: '极充', 容量: '10000mAh', 无线功率: '15W' },
    points: ['强磁吸附，边充边玩', '隐藏式支架，追剧方便', '电量数显'],
    color: '#5b7c99',
    dims: [{ name: '颜色', values: ['星光色', '远峰蓝', '石墨黑'] }],
    price: 16900,
    original: 22900,
    weightG: 210,
  }),
  P({
    path: ['数码电器', '手机配件', '数据线'],
    title: 'Type-C数据线 编织快充线 100W',
    subtitle: '尼龙编织耐弯折 支持笔记本快充',
    material: '尼龙编织 + 铝合金接头',
    origin: '广东东莞',
    attrs: { 品牌: '极充', 最大功率: '100W' },
    points: ['E-marker芯片，100W安全快充', '弯折测试2万次', '铝合金接头散热好'],
    color: '#c0392b',
    dims: [{ name: '长度', values: ['1m', '2m'] }],
    price: 2990,
    original: 4990,
    delta: { '2m': 1000 },
    weightG: 50,
  }),
  P({
    path: ['数码电器', '手机配件', '数据线'],
    title: '三合一数据线 一拖三 多功能',
    subtitle: '苹果 Type-C Micro 一根全兼容',
    material: 'TPE',
    origin: '广东深圳',
    attrs: { 品牌: '极充', 长度: '1.2m' },
    points: ['三种接口同时充电', '线身柔软不缠绕', '适合车载和家用'],
    color: '#2d3436',
    dims: [{ name: '颜色', values: ['黑色', '白色'] }],
    price: 1990,
    original: 2990,
    weightG: 40,
  }),

  // ---------- 服饰鞋包 › 男装 ----------
  P({
    path: ['服饰鞋包', '男装', 'T恤'],
    title: '纯棉短袖T恤 男 圆领 重磅',
    subtitle: '260g重磅新疆棉 不透不变形',
    material: '100%新疆长绒棉',
    origin: '广东广州',
    attrs: { 品牌: '素衣', 克重: '260g', 版型: '宽松' },
    points: ['重磅面料，挺括有型', '双针走线，领口不易松', '预缩处理，洗后不缩水'],
    color: '#34495e',
    dims: [
      { name: '颜色', values: ['白色', '黑色', '藏青'] },
      { name: '尺码', values: ['M', 'L', 'XL', 'XXL'] },
    ],
    price: 7900,
    original: 12900,
    stockOf: { '藏青/XXL': 3 },
    weightG: 280,
  }),
  P({
    path: ['服饰鞋包', '男装', 'T恤'],
    title: '速干运动T恤 男 冰丝透气',
    subtitle: '吸湿速干 跑步健身训练服',
    material: '聚酯纤维 + 氨纶',
    origin: '福建晋江',
    attrs: { 品牌: '动力派', 适用运动: '跑步/健身' },
    points: ['冰感面料，夏天穿不黏身', '网眼透气区设计', '弹力好，活动自如'],
    color: '#16a085',
    dims: [
      { name: '颜色', values: ['黑色', '灰色'] },
      { name: '尺码', values: ['M', 'L', 'XL'] },
    ],
    price: 5900,
    original: 8900,
    weightG: 180,
  }),
  P({
    path: ['服饰鞋包', '男装', 'T恤'],
    title: '国潮印花T恤 宽松落肩 情侣款',
    subtitle: '原创插画印花 水洗不掉色',
    material: '100%棉',
    origin: '浙江杭州',
    attrs: { 品牌: '素衣', 印花工艺: '数码直喷' },
    points: ['原创国潮图案', '落肩宽松版型', '男女同款'],
    color: '#d35400',
    dims: [
      { name: '颜色', values: ['白色', '杏色'] },
      { name: '尺码', values: ['M', 'L', 'XL'] },
    ],
    price: 8900,
    original: 13900,
    weightG: 240,
  }),
  P({
    path: ['服饰鞋包', '男装', 'T恤'],
    title: '商务Polo衫 男 翻领短袖',
    subtitle: '珠地网眼面料 透气有型',
    material: '珠地棉（棉95% 氨纶5%）',
    origin: '浙江宁波',
    attrs: { 品牌: '绅度', 领型: '翻领' },
    points: ['珠地网眼，透气吸汗', '领口定型，不易卷边', '商务休闲两相宜'],
    color: '#1f3a5f',
    dims: [
      { name: '颜色', values: ['藏青', '白色'] },
      { name: '尺码', values: ['L', 'XL', 'XXL'] },
    ],
    price: 15900,
    original: 22900,
    weightG: 260,
  }),
  P({
    path: ['服饰鞋包', '男装', '衬衫'],
    title: '男士免烫白衬衫 长袖 商务正装',
    subtitle: '免烫抗皱 上班面试婚礼都合适',
    material: '棉60% 聚酯纤维40%',
    origin: '浙江宁波',
    attrs: { 品牌: '绅度', 版型: '修身' },
    points: ['液氨免烫工艺', '可拆领撑，领型挺括', '尺码按领围选择'],
    color: '#dfe6e9',
    dims: [{ name: '尺码', values: ['39', '40', '41', '42', '43'] }],
    price: 19900,
    original: 29900,
    weightG: 300,
  }),
  P({
    path: ['服饰鞋包', '男装', '衬衫'],
    title: '亚麻衬衫 男 休闲宽松',
    subtitle: '天然亚麻 夏天清爽 自带松弛感',
    material: '100%亚麻',
    origin: '浙江绍兴',
    attrs: { 品牌: '素衣', 季节: '春夏' },
    points: ['亚麻天然透气', '立领设计，简约文艺', '可外穿作防晒衫'],
    color: '#d8cfc4',
    dims: [
      { name: '颜色', values: ['米白', '浅蓝'] },
      { name: '尺码', values: ['M', 'L', 'XL'] },
    ],
    price: 16900,
    original: 23900,
    weightG: 260,
  }),

  // ---------- 服饰鞋包 › 女装 ----------
  P({
    path: ['服饰鞋包', '女装', '连衣裙'],
    title: '法式碎花连衣裙 收腰显瘦',
    subtitle: '方领泡泡袖 约会度假出片',
    material: '雪纺（聚酯纤维100%）',
    origin: '广东广州',
    attrs: { 品牌: '花间', 裙长: '中长款' },
    points: ['法式方领，修饰脸型', '后背系带收腰', '双层裙摆不透'],
    color: '#e17055',
    dims: [{ name: '尺码', values: ['S', 'M', 'L'] }],
    price: 21900,
    original: 32900,
    weightG: 320,
  }),
  P({
    path: ['服饰鞋包', '女装', '连衣裙'],
    title: '针织连衣裙 秋冬 长款打底',
    subtitle: '羊毛混纺 柔软不扎 单穿内搭都好看',
    material: '羊毛30% 粘纤50% 锦纶20%',
    origin: '浙江桐乡',
    attrs: { 品牌: '花间', 季节: '秋冬' },
    points: ['坑条纹理，显瘦修身', '弹力好，不勒身', '可搭配大衣外套'],
    color: '#b8a48b',
    dims: [
      { name: '颜色', values: ['燕麦色', '黑色'] },
      { name: '尺码', values: ['S', 'M', 'L'] },
    ],
    price: 25900,
    original: 39900,
    weightG: 450,
  }),
  P({
    path: ['服饰鞋包', '女装', '连衣裙'],
    title: '真丝连衣裙 桑蚕丝 通勤款',
    subtitle: '19姆米重磅真丝 垂顺有光泽',
    material: '100%桑蚕丝',
    origin: '江苏苏州',
    attrs: { 品牌: '锦绣', 姆米: '19姆米' },
    points: ['重磅真丝，亲肤凉爽', 'V领设计，通勤优雅', '建议手洗或干洗'],
    color: '#6c5b7b',
    dims: [{ name: '尺码', values: ['S', 'M', 'L'] }],
    price: 69900,
    original: 99900,
    stockOf: { L: 3 },
    threshold: 5,
    weightG: 250,
  }),
  P({
    path: ['服饰鞋包', '女装', '卫衣'],
    title: '加绒连帽卫衣 女 宽松慵懒',
    subtitle: '内里加绒 冬天保暖 oversize版型',
    material: '棉65% 聚酯纤维35%',
    origin: '广东广州',
    attrs: { 品牌: '花间', 厚度: '加绒加厚' },
    points: ['摇粒绒内里，暖和不臃肿', '大口袋设计', '帽绳可调节'],
    color: '#95a5a6',
    dims: [
      { name: '颜色', values: ['烟灰', '奶白'] },
      { name: '尺码', values: ['S', 'M', 'L'] },
    ],
    price: 13900,
    original: 19900,
    weightG: 600,
  }),
  P({
    path: ['服饰鞋包', '女装', '卫衣'],
    title: '圆领卫衣 纯色基础款 男女同款',
    subtitle: '380g毛圈棉 四季可穿',
    material: '100%棉',
    origin: '浙江杭州',
    attrs: { 品牌: '素衣', 克重: '380g' },
    points: ['毛圈面料，柔软吸汗', '罗纹袖口下摆，不易变形', '多色可选'],
    color: '#e5989b',
    dims: [
      { name: '颜色', values: ['黑色', '燕麦色', '雾粉'] },
      { name: '尺码', values: ['M', 'L', 'XL'] },
    ],
    price: 11900,
    original: 16900,
    weightG: 520,
  }),

  // ---------- 服饰鞋包 › 箱包 › 双肩包 ----------
  P({
    path: ['服饰鞋包', '箱包', '双肩包'],
    title: '商务双肩包 男 大容量电脑包',
    subtitle: '可放16英寸笔记本 USB充电口 防泼水',
    material: '防泼水牛津布',
    origin: '福建泉州',
    attrs: { 品牌: '行者', 适用电脑尺寸: '16英寸及以下', 容量: '30L' },
    points: ['独立电脑仓，加厚防震', '外置USB充电接口', '背部透气减压'],
    color: '#2c3e50',
    dims: [{ name: '颜色', values: ['黑色', '深灰'] }],
    price: 18900,
    original: 26900,
    weightG: 950,
  }),
  P({
    path: ['服饰鞋包', '箱包', '双肩包'],
    title: '轻便旅行双肩包 可折叠收纳',
    subtitle: '折叠后手掌大小 出游备用包',
    material: '尼龙',
    origin: '广东广州',
    attrs: { 品牌: '行者', 容量: '20L', 重量: '约180g' },
    points: ['超轻尼龙面料', '可折叠收进内袋', '防泼水涂层'],
    color: '#556b2f',
    dims: [{ name: '颜色', values: ['藏青', '橄榄绿', '黑色'] }],
    price: 6900,
    original: 9900,
    weightG: 180,
  }),
  P({
    path: ['服饰鞋包', '箱包', '双肩包'],
    title: '小学生书包 护脊减负',
    subtitle: '人体工学背负 S型肩带 反光条夜行更安全',
    material: '涤纶',
    origin: '河北保定',
    attrs: { 品牌: '童乐', 适用年级: '1-6年级' },
    points: ['护脊背板，分散重量', '多隔层分类收纳', '侧面反光条'],
    color: '#74b9ff',
    dims: [{ name: '颜色', values: ['天蓝', '樱粉'] }],
    price: 15900,
    original: 21900,
    weightG: 800,
  }),

  // ---------- 个护清洁 › 毛巾浴巾 ----------
  P({
    path: ['个护清洁', '毛巾浴巾', '毛巾'],
    title: '新疆长绒棉毛巾 加厚吸水 2条装',
    subtitle: 'A类标准 洗脸不掉毛 柔软亲肤',
    material: '100%新疆长绒棉',
    origin: '河北高阳',
    attrs: { 品牌: '棉语', 尺寸: '34×76cm', 克重: '120g/条' },
    points: ['长绒棉，吸水快', '无捻工艺，越洗越软', '不掉毛不起球'],
    color: '#81c7d4',
    dims: [{ name: '颜色', values: ['白色', '浅灰', '湖蓝'] }],
    price: 3990,
    original: 5990,
    weightG: 260,
  }),
  P({
    path: ['个护清洁', '毛巾浴巾', '毛巾'],
    title: '竹纤维毛巾 抑菌 3条装',
    subtitle: '竹纤维天然抑菌 不易发臭',
    material: '竹纤维70% 棉30%',
    origin: '河北高阳',
    attrs: { 品牌: '竹里', 数量: '3条' },
    points: ['竹纤维天然抑菌', '吸水性强，干得快', '柔和配色'],
    color: '#a3c9a8',
    price: 4590,
    original: 6990,
    weightG: 380,
  }),
  P({
    path: ['个护清洁', '毛巾浴巾', '毛巾'],
    title: '儿童纱布毛巾 6层纯棉',
    subtitle: '宝宝洗脸口水巾 越洗越柔软',
    material: '纯棉纱布',
    origin: '山东滨州',
    attrs: { 品牌: '童乐', 层数: '6层', 尺寸: '25×50cm' },
    points: ['6层纱布，吸水透气', '无荧光剂', '卡通图案，孩子喜欢'],
    color: '#ffeaa7',
    dims: [{ name: '颜色', values: ['奶黄', '豆绿'] }],
    price: 2590,
    original: 3990,
    weightG: 120,
  }),
  P({
    path: ['个护清洁', '毛巾浴巾', '浴巾'],
    title: '纯棉浴巾 大号成人 加厚',
    subtitle: '70×140cm 吸水不掉毛 可搭配同款毛巾',
    material: '100%棉',
    origin: '山东滨州',
    attrs: { 品牌: '棉语', 尺寸: '70×140cm', 克重: '450g' },
    points: ['加厚毛圈，包裹感强', '缎档设计，耐用不变形', '可机洗'],
    color: '#b2bec3',
    dims: [{ name: '颜色', values: ['白色', '浅灰', '雾蓝'] }],
    price: 6990,
    original: 9990,
    weightG: 500,
  }),
  P({
    path: ['个护清洁', '毛巾浴巾', '浴巾'],
    title: '速干浴巾 超细纤维 旅行健身',
    subtitle: '轻薄速干 收纳小巧 游泳健身带一条',
    material: '超细纤维',
    origin: '浙江义乌',
    attrs: { 品牌: '动力派', 尺寸: '80×160cm' },
    points: ['吸水是自身重量的5倍', '10分钟即干', '附收纳袋'],
    color: '#0984e3',
    dims: [{ name: '颜色', values: ['海蓝', '草绿'] }],
    price: 4990,
    original: 6990,
    weightG: 260,
  }),

  // ---------- 个护清洁 › 口腔护理 ----------
  P({
    path: ['个护清洁', '口腔护理', '电动牙刷'],
    title: '声波电动牙刷 成人 软毛',
    subtitle: '5种模式 充电一次用60天',
    material: 'ABS + 杜邦软毛',
    origin: '广东深圳',
    attrs: { 品牌: '净齿', 防水等级: 'IPX7', 续航: '60天' },
    points: ['每分钟38000次声波振动', '2分钟智能计时', '附赠2个刷头'],
    color: '#74b9ff',
    dims: [{ name: '颜色', values: ['白色', '黑色', '粉色'] }],
    price: 14900,
    original: 19900,
    weightG: 160,
  }),
  P({
    path: ['个护清洁', '口腔护理', '电动牙刷'],
    title: '儿童电动牙刷 3-12岁 卡通款',
    subtitle: '超软刷毛 护龈模式 让孩子爱上刷牙',
    material: 'ABS + 食品级硅胶',
    origin: '广东深圳',
    attrs: { 品牌: '童乐', 适用年龄: '3-12岁' },
    points: ['小刷头，适合儿童口腔', '低速护龈模式', '30秒分区提醒'],
    color: '#fd79a8',
    dims: [{ name: '颜色', values: ['天蓝', '樱粉'] }],
    price: 8900,
    original: 12900,
    weightG: 120,
  }),
  P({
    path: ['个护清洁', '口腔护理', '电动牙刷'],
    title: '电动牙刷替换刷头 4支装',
    subtitle: '通用主流声波牙刷 3个月换一次',
    material: '杜邦软毛 + PP',
    origin: '广东汕头',
    attrs: { 品牌: '净齿', 数量: '4支' },
    points: ['杜邦进口刷毛，磨圆处理', '独立防尘帽', '刷毛褪色提醒更换'],
    color: '#dfe6e9',
    price: 3990,
    original: 5990,
    weightG: 40,
  }),
  P({
    path: ['个护清洁', '口腔护理', '牙膏'],
    title: '氨基酸美白牙膏 清新薄荷',
    subtitle: '温和亮白 清新口气 全家可用',
    material: '膏体（含氨基酸、水合硅石）',
    origin: '广东广州',
    attrs: { 品牌: '净齿', 净含量: '120g', 香型: '薄荷' },
    points: ['氨基酸温和清洁', '细腻膏体，低磨损', '持久清新口气'],
    color: '#00b894',
    dims: [{ name: '规格', values: ['120g×1支', '120g×3支'] }],
    price: 2990,
    original: 3990,
    delta: { '120g×3支': 4000 },
    weightG: 150,
  }),
  P({
    path: ['个护清洁', '口腔护理', '牙膏'],
    title: '儿童含氟牙膏 草莓味 防蛀',
    subtitle: '低氟配方 可吞咽级原料 草莓香味',
    material: '膏体（含氟化钠）',
    origin: '广东广州',
    attrs: { 品牌: '童乐', 净含量: '60g', 适用年龄: '3岁以上' },
    points: ['适量含氟，防蛀护齿', '草莓香味，孩子爱刷', '无糖精配方'],
    color: '#ff7675',
    price: 1990,
    original: 2990,
    weightG: 80,
  }),

  // ---------- 食品茶饮 › 茶叶 ----------
  P({
    merchant: TEA_MERCHANT.id,
    path: ['食品茶饮', '茶叶', '绿茶'],
    title: '明前西湖龙井 特级 罐装',
    subtitle: '西湖产区明前采摘 豆香清幽 山野茶铺自家茶园',
    material: '绿茶（龙井43）',
    origin: '浙江杭州',
    attrs: { 品牌: '山野茶铺', 等级: '特级', 保质期: '18个月' },
    points: ['明前一芽一叶采摘', '传统手工炒制', '铁罐密封，充氮保鲜'],
    color: '#7fa650',
    dims: [{ name: '规格', values: ['50g罐装', '100g礼盒'] }],
    price: 16800,
    original: 22800,
    delta: { '100g礼盒': 15000 },
    costPct: 40,
    weightG: 150,
  }),
  P({
    path: ['食品茶饮', '茶叶', '绿茶'],
    title: '信阳毛尖 绿茶 一级 250g',
    subtitle: '高山云雾茶 鲜爽回甘',
    material: '绿茶',
    origin: '河南信阳',
    attrs: { 品牌: '茶语', 等级: '一级', 净含量: '250g' },
    points: ['高山茶园，云雾滋养', '外形细直，白毫显露', '冲泡后汤色嫩绿明亮'],
    color: '#8bbf5a',
    price: 9900,
    original: 13900,
    weightG: 300,
  }),
  P({
    merchant: TEA_MERCHANT.id,
    path: ['食品茶饮', '茶叶', '乌龙茶'],
    title: '安溪铁观音 浓香型 乌龙茶',
    subtitle: '传统炭焙 兰花香 耐冲泡七泡有余香',
    material: '乌龙茶（铁观音）',
    origin: '福建安溪',
    attrs: { 品牌: '山野茶铺', 香型: '浓香型', 保质期: '24个月' },
    points: ['传统炭焙工艺', '独立小泡袋，一泡一袋', '山野茶铺合作茶农直供'],
    color: '#9c7a3c',
    dims: [{ name: '规格', values: ['250g', '500g'] }],
    price: 12800,
    original: 16800,
    delta: { '500g': 11000 },
    costPct: 45,
    stockOf: { '500g': 3 },
    weightG: 300,
  }),
  P({
    path: ['食品茶饮', '茶叶', '乌龙茶'],
    title: '武夷岩茶 大红袍 礼盒装',
    subtitle: '岩骨花香 中火焙 送长辈体面',
    material: '乌龙茶（大红袍）',
    origin: '福建武夷山',
    attrs: { 品牌: '茶语', 净含量: '200g', 包装: '礼盒' },
    points: ['武夷山正岩产区', '中火足焙，醇厚耐泡', '礼盒附手提袋'],
    color: '#8e3b2e',
    price: 26800,
    original: 36800,
    weightG: 600,
  }),
  P({
    merchant: TEA_MERCHANT.id,
    path: ['食品茶饮', '茶叶', '红茶'],
    title: '桐木关正山小种 红茶 松烟香',
    subtitle: '传统松木熏焙 桂圆汤 暖胃好喝',
    material: '红茶（正山小种）',
    origin: '福建武夷山',
    attrs: { 品牌: '山野茶铺', 保质期: '36个月' },
    points: ['桐木关核心产区', '松烟香桂圆味', '可清饮，也可煮奶茶'],
    color: '#a0522d',
    dims: [{ name: '规格', values: ['100g', '250g'] }],
    price: 8800,
    original: 11800,
    delta: { '250g': 9000 },
    costPct: 45,
    weightG: 180,
  }),
  P({
    path: ['食品茶饮', '茶叶', '红茶'],
    title: '云南滇红 古树红茶 金芽',
    subtitle: '凤庆古树 蜜香浓郁 金毫显露',
    material: '红茶（滇红）',
    origin: '云南凤庆',
    attrs: { 品牌: '茶语', 净含量: '200g' },
    points: ['古树原料，滋味饱满', '金芽比例高', '汤色红艳明亮'],
    color: '#c0702e',
    price: 13800,
    original: 18800,
    weightG: 260,
  }),

  // ---------- 食品茶饮 › 休闲零食 › 坚果炒货 ----------
  P({
    path: ['食品茶饮', '休闲零食', '坚果炒货'],
    title: '每日坚果 混合果仁 独立小包',
    subtitle: '6种坚果果干科学配比 一天一包',
    material: '腰果、巴旦木、核桃仁、榛子、蔓越莓干、蓝莓干',
    origin: '安徽芜湖',
    attrs: { 品牌: '果园记', 每包净含量: '25g', 保质期: '180天' },
    points: ['低温烘焙，不加盐不加糖', '独立充氮小包', '办公室解馋不长胖'],
    color: '#b5651d',
    dims: [{ name: '规格', values: ['15包', '30包'] }],
    price: 5990,
    original: 7990,
    delta: { '30包': 5000 },
    weightG: 800,
  }),
  P({
    path: ['食品茶饮', '休闲零食', '坚果炒货'],
    title: '临安手剥山核桃 奶油味',
    subtitle: '个大壳薄 轻轻一捏就开',
    material: '山核桃、白砂糖、奶油、食用盐',
    origin: '浙江杭州临安',
    attrs: { 品牌: '果园记', 净含量: '500g', 口味: '奶油味' },
    points: ['临安本地山核桃', '当季新货', '附赠开壳器'],
    color: '#8b5a2b',
    price: 6990,
    original: 8990,
    weightG: 560,
  }),
  P({
    path: ['食品茶饮', '休闲零食', '坚果炒货'],
    title: '越南进口原味腰果 W240大颗粒',
    subtitle: '原味烘焙 颗粒饱满 香脆可口',
    material: '腰果',
    origin: '越南',
    attrs: { 品牌: '果园记', 净含量: '500g', 等级: 'W240' },
    points: ['W240大颗粒', '原味烘焙，无添加', '密封罐装，开盖即食'],
    color: '#e0c097',
    price: 7990,
    original: 9990,
    weightG: 600,
  }),
  P({
    path: ['家居生活', '厨房用品', '水杯'],
    title: '便携随手杯 硅胶折叠水杯',
    subtitle: '折叠后仅3cm厚 旅行登山不占地方',
    material: '食品级硅胶 + PP',
    origin: '广东深圳',
    attrs: { 品牌: '行者', 容量: '500ml' },
    points: ['可伸缩折叠，省空间', '耐温-40℃~200℃', '带挂扣，可挂背包'],
    color: '#55efc4',
    dims: [{ name: '颜色', values: ['薄荷绿', '天空蓝'] }],
    price: 3590,
    original: 4990,
    weightG: 150,
  }),
  P({
    path: ['个护清洁', '毛巾浴巾', '浴巾'],
    title: '毛巾浴巾套装 礼盒 3件套',
    subtitle: '浴巾×1 毛巾×1 方巾×1 乔迁送礼',
    material: '100%棉',
    origin: '河北高阳',
    attrs: { 品牌: '棉语', 件数: '3件' },
    points: ['同色系套装', '精美礼盒包装', '可代写贺卡'],
    color: '#a29bfe',
    price: 12900,
    original: 17900,
    weightG: 900,
  }),
  P({
    path: ['数码电器', '耳机音箱', '蓝牙耳机'],
    title: '半入耳式蓝牙耳机 轻巧舒适',
    subtitle: '久戴不胀耳 通话降噪 学生党性价比之选',
    material: 'ABS',
    origin: '广东东莞',
    attrs: { 品牌: '悦声', 蓝牙版本: '5.3', 续航: '24小时' },
    points: ['半入耳设计，佩戴无压力', '双麦克风通话降噪', '弹窗秒连'],
    color: '#dcdde1',
    dims: [{ name: '颜色', values: ['云白', '雅黑', '薄荷绿'] }],
    price: 9900,
    original: 14900,
    weightG: 50,
  }),
  P({
    path: ['家居生活', '家纺床品', '枕头'],
    title: '记忆棉枕头 慢回弹 护颈枕',
    subtitle: '慢回弹记忆棉 贴合头颈 侧睡仰睡都舒服',
    material: '慢回弹记忆棉 + 针织外套',
    origin: '广东佛山',
    attrs: { 品牌: '眠乡', 尺寸: '60×35×11cm' },
    points: ['慢回弹，分散压力', '人体工学曲线', '外套可拆洗'],
    color: '#b0c4de',
    price: 12900,
    original: 19900,
    weightG: 1100,
  }),
];

/** Every combination of spec values, first dimension varying slowest; [[]] when there are none. */
export function specCombos(dims: DemoSpecDim[]): string[][] {
  return dims.reduce<string[][]>((acc, d) => acc.flatMap((prefix) => d.values.map((v) => [...prefix, v])), [[]]);
}

/** EAN-13 with the 69x (China) prefix; the check digit is computed so scanners accept it. */
function ean13(productNo: number, skuNo: number): string {
  const body = `692026${String(productNo).padStart(3, '0')}${String(skuNo).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

function detailHtml(s: ProductSpec): string {
  const li = s.points.map((p) => `<li>${p}</li>`).join('');
  return `<p>${s.subtitle}</p><ul>${li}</ul><p>材质：${s.material}；产地：${s.origin}。</p>`;
}

function expandProduct(s: ProductSpec, productNo: number): DemoProduct {
  const dims = s.dims ?? [];
  const skus = specCombos(dims).map((values, i): DemoSku => {
    const extra = values.reduce((sum, v) => sum + (s.delta?.[v] ?? 0), 0);
    const price = s.price + extra;
    return {
      specValues: values,
      price,
      originalPrice: s.original + extra,
      cost: Math.round((price * (s.costPct ?? 55)) / 100),
      // Varied but deterministic stock (60–459) so lists and reports look lived-in.
      stock: s.stockOf?.[values.join('/')] ?? s.stock ?? 60 + ((productNo * 37 + i * 53) % 400),
      lowStockThreshold: s.threshold ?? 10,
      weightG: s.weightG,
      barcode: ean13(productNo, i + 1),
    };
  });
  return {
    merchantId: s.merchant ?? PLATFORM_MERCHANT,
    categoryPath: s.path,
    title: s.title,
    subtitle: s.subtitle,
    material: s.material,
    origin: s.origin,
    attributes: s.attrs,
    detailHtml: detailHtml(s),
    specDims: dims,
    skus,
    color: s.color,
  };
}

export const DEMO_PRODUCTS: DemoProduct[] = SPECS.map((s, i) => expandProduct(s, i + 1));

/** The product the seed's self-check and tests look for (search 保温杯). */
export const MARKER_PRODUCT_TITLE = '316不锈钢保温杯 大容量便携';
