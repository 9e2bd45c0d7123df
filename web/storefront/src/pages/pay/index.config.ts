export default definePageConfig({ navigationBarTitleText: 'pay' });
