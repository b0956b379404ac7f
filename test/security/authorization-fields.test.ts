import { AuthorizationAction, AuthorizationOperation, AuthorizationPolicy, AuthorizationSource } from '../../lib';
import { docsOf, findDoc, newChart } from '../support/constructs';

// Typed Required<…> so that a field added to the library types must be added here and shown to reach the manifest.
const SOURCE: Required<AuthorizationSource> = {
  principals: ['cluster.local/ns/shop/sa/orders'],
  notPrincipals: ['cluster.local/ns/shop/sa/legacy'],
  namespaces: ['shop'],
  notNamespaces: ['sandbox'],
  serviceAccounts: ['shop/cart'],
  ipBlocks: ['10.0.0.0/8'],
  remoteIpBlocks: ['198.51.100.7'],
  requestPrincipals: ['https://issuer.example.com/alice'],
  notRequestPrincipals: ['https://issuer.example.com/mallory'],
};

const OPERATION: Required<AuthorizationOperation> = {
  methods: ['GET'],
  notMethods: ['DELETE'],
  paths: ['/api/*'],
  grpc: ['shop.v1.OrderService/PlaceOrder'],
  notPaths: ['/api/admin'],
  ports: [8080],
  hosts: ['shop.example.com'],
  notHosts: ['admin.example.com'],
};

describe('AuthorizationPolicy writes every field of the library types', () => {
  test('raw sources, operations (ports as strings, grpc methods as paths) and conditions', () => {
    const { serviceAccounts, ...identities } = SOURCE; // serviceAccounts excludes principals and namespaces
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'all-fields', {
      selector: { app: 'orders' },
      rules: [{
        from: [identities, { serviceAccounts }],
        to: [OPERATION],
        when: [{ key: 'request.headers[x-tenant]', values: ['a'], notValues: ['b'] }],
      }],
    });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'all-fields').spec.rules).toEqual([{
      from: [{ source: identities }, { source: { serviceAccounts } }],
      to: [{ operation: { ...OPERATION, grpc: undefined, paths: ['/api/*', '/shop.v1.OrderService/PlaceOrder'], ports: ['8080'] } }],
      when: [{ key: 'request.headers[x-tenant]', values: ['a'], notValues: ['b'] }],
    }]);
  });

  test.each(Object.values(AuthorizationAction))('action %s is written with Istio\'s name', action => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'p', {
      action, ...(action === AuthorizationAction.CUSTOM && { provider: 'ext-authz' }), rules: [{ to: [{ paths: ['/admin'] }] }],
    });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'p').spec.action).toBe(action);
  });
});
