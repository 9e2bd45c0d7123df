export default definePageConfig({ navigationBarTitleText: 'category' });
