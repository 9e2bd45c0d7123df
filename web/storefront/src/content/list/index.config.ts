export default definePageConfig({ navigationBarTitleText: '内容精选', enablePullDownRefresh: true });
