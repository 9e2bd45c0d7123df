export default definePageConfig({ navigationBarTitleText: 'addresses' });
