export default definePageConfig({ navigationBarTitleText: 'after-sale' });
