/** Cache keys of the storefront's hot catalog reads, shared by readers and the writers that purge them. */
export const categoryTreeKey = 'catalog/category-tree/v1';
export const productKey = (productId: string) => `catalog/product/${productId}/v1`;
export const CATALOG_CACHE_TTL_SECONDS = 60;
