export default definePageConfig({
  navigationBarTitleText: 'edgemall',
  navigationBarBackgroundColor: '#e4393c',
  navigationBarTextStyle: 'white',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'light',
  backgroundColor: '#e4393c',
  enableShareAppMessage: true,
});
