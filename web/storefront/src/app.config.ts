export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/category/index',
    'pages/cart/index',
    'pages/mine/index',
    'pages/search/index',
    'pages/product/index',
    'pages/checkout/index',
    'pages/pay/index',
    'pages/orders/index',
    'pages/order/index',
    'pages/after-sale/index',
    'pages/after-sales/index',
    'pages/addresses/index',
    'pages/coupons/index',
    'pages/flash-sale/index',
    'pages/group-buy/index',
    'pages/team/index',
    'pages/lottery/index',
    'pages/campaign/index',
    'pages/login/index',
  ],
  // Member pages (会员中心, 签到, 任务中心, 积分商城, 积分明细, 邀请有礼, 收藏, 消息设置, …) load on demand: the main package must stay under 2 MB.
  subPackages: [
    // 内容: the article list and the article page
    { root: 'content', pages: ['list/index', 'article/index'] },
    {
      root: 'member',
      pages: [
        'center/index',
        'profile/index',
        'checkin/index',
        'tasks/index',
        'mall/index',
        'mall-item/index',
        'mall-records/index',
        'points/index',
        'wallet/index',
        'invite/index',
        'favorites/index',
        'messages/index',
        'service/index',
      ],
    },
    // 社区评测: all reviews of a product, writing one (with photos), my reviews and 待评价
    {
      root: 'reviews',
      pages: ['list/index', 'write/index', 'mine/index'],
    },
  ],
  window: {
    navigationBarTitleText: 'edgemall',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#e4393c',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      {
        pagePath: 'pages/category/index',
        text: '分类',
        iconPath: 'assets/tab/category.png',
        selectedIconPath: 'assets/tab/category-on.png',
      },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-on.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-on.png' },
    ],
  },
  // wx.getLocation etc. are not used; the share card needs nothing declared.
});
