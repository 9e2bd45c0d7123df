export default definePageConfig({ navigationBarTitleText: 'group-buy' });
