export default definePageConfig({
  navigationBarTitleText: '我的',
  enablePullDownRefresh: true,
  navigationBarBackgroundColor: '#e4393c',
  navigationBarTextStyle: 'white',
});
