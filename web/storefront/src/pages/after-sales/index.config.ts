export default definePageConfig({ navigationBarTitleText: 'after-sales' });
