/**
 * The Bookinfo scenarios the Gateway API can say, rendered in dist/bookinfo-gateway-api/scenarios/:
 * version routing by weight and by the `end-user` header. The others inject faults or route to
 * DestinationRule subsets of versions Bookinfo does not deploy, which the Gateway API has no
 * equivalent for (they fail synthesis in Gateway API mode).
 */
export const GATEWAY_API_SCENARIOS = [
  'virtual-service-all-v1', 'virtual-service-reviews-test-v2', 'virtual-service-reviews-90-10', 'virtual-service-reviews-80-20',
  'virtual-service-reviews-50-v3', 'virtual-service-reviews-v2-v3', 'virtual-service-reviews-v3', 'virtual-service-reviews-jason-v2-v3',
] as const;
