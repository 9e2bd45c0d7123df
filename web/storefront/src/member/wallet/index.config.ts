export default definePageConfig({
  navigationBarTitleText: '余额明细',
  enablePullDownRefresh: true,
  navigationBarBackgroundColor: '#e4393c',
  navigationBarTextStyle: 'white',
});
