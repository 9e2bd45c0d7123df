export default definePageConfig({ navigationBarTitleText: 'checkout' });
