export default definePageConfig({ navigationBarTitleText: 'coupons' });
