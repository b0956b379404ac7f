import { GroupKind, KINDS } from '../../lib/analysis/group-kinds';
import { Doc, hostMatches, MeshIndex, Resource, selects, visibleFrom } from '../../lib/analysis/mesh-index';
import { qualifyHost } from '../../lib/core/hosts';

const NETWORKING = 'networking.istio.io/v1';
const CLUSTER_ROLE: GroupKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', versions: ['v1'] };

function meta(name: string, namespace?: string): Doc {
  return namespace === undefined ? { name } : { name, namespace };
}

function service(name: string, namespace?: string, selector: Record<string, string> = { app: name }): Doc {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace), spec: { selector, ports: [{ name: 'http', port: 80 }] } };
}

function serviceEntry(name: string, namespace: string, hosts: string[], exportTo?: string[]): Doc {
  return { apiVersion: NETWORKING, kind: 'ServiceEntry', metadata: meta(name, namespace), spec: { hosts, resolution: 'NONE', ...(exportTo && { exportTo }) } };
}

function destinationRule(name: string, namespace: string, host: string, exportTo?: string[]): Doc {
  return { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: meta(name, namespace), spec: { host, ...(exportTo && { exportTo }) } };
}

function virtualService(name: string, namespace: string | undefined, exportTo?: string[]): Doc {
  return { apiVersion: NETWORKING, kind: 'VirtualService', metadata: meta(name, namespace), spec: { hosts: [name], ...(exportTo && { exportTo }) } };
}

function gateway(name: string, namespace: string): Doc {
  return { apiVersion: NETWORKING, kind: 'Gateway', metadata: meta(name, namespace), spec: { selector: { istio: 'ingressgateway' }, servers: [] } };
}

function deployment(name: string, namespace: string, labels: Record<string, string>): Doc {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, namespace),
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } } },
  };
}

function indexOf(...docs: Doc[]): MeshIndex {
  return MeshIndex.of(docs.map(doc => ({ doc })));
}

/** The one resource of a single-document index. */
function resourceOf(doc: Doc): Resource {
  return indexOf(doc).resources[0];
}

const names = (resources: readonly Resource[]) => resources.map(r => `${r.namespace}/${r.name}`);

describe('hostMatches', () => {
  test.each([
    ['reviews.shop.svc.cluster.local', 'reviews.shop.svc.cluster.local', true],
    ['example.com', 'example.com', true],
    ['example.com', 'www.example.com', false],
    ['a.example.com', 'b.example.com', false],
  ])('exact pattern %s vs %s: %s', (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });

  test.each(['example.com', 'a.example.com', 'reviews.shop.svc.cluster.local', '*.example.com', '*'])('"*" matches %s', host => {
    expect(hostMatches('*', host)).toBe(true);
  });

  test.each([
    ['a.example.com', true],
    ['a.b.example.com', true],
    ['example.com', false],
    ['badexample.com', false],
    ['a.example.org', false],
  ])('"*.example.com" vs %s: %s', (host, expected) => {
    expect(hostMatches('*.example.com', host)).toBe(expected);
  });

  test.each([
    ['*.example.com', '*.example.com', true],
    ['*.example.com', '*.a.example.com', true],
    ['*.a.example.com', '*.example.com', false],
    ['*.example.com', '*.example.org', false],
    ['*.example.com', '*', false],
  ])('wildcard pattern %s vs wildcard host %s: %s', (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });

  test('a non-wildcard pattern does not match a wildcard host (callers test both directions for overlap)', () => {
    expect(hostMatches('a.example.com', '*.example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'a.example.com')).toBe(true);
  });
});

describe('visibleFrom', () => {
  test.each([
    ['no exportTo', undefined, { shop: true, web: true }],
    ['an empty exportTo', [], { shop: true, web: true }],
    ['"*"', ['*'], { shop: true, web: true }],
    ['"."', ['.'], { shop: true, web: false }],
    ['a named namespace', ['web'], { shop: false, web: true }],
    ['"." and a named namespace', ['.', 'web'], { shop: true, web: true }],
    ['"*" among others', ['.', '*'], { shop: true, web: true }],
  ] as const)('a resource in shop with %s', (_label, exportTo, expected) => {
    const vs = resourceOf(virtualService('reviews', 'shop', exportTo && [...exportTo]));
    expect({ shop: visibleFrom(vs, 'shop'), web: visibleFrom(vs, 'web') }).toEqual(expected);
  });

  test('"." means the namespace the resource defaults to when it has none', () => {
    const vs = resourceOf(virtualService('reviews', undefined, ['.']));
    expect(vs.namespace).toBe('default');
    expect(visibleFrom(vs, 'default')).toBe(true);
    expect(visibleFrom(vs, 'shop')).toBe(false);
  });

  test('Services are visible from everywhere (the spec has no exportTo)', () => {
    const svc = resourceOf(service('reviews', 'shop'));
    expect(visibleFrom(svc, 'web')).toBe(true);
  });
});

describe('selects', () => {
  test('an absent or empty selector selects every pod', () => {
    expect(selects(undefined, { app: 'reviews' })).toBe(true);
    expect(selects({}, {})).toBe(true);
  });

  test('every selector label must be on the pod, with the same value', () => {
    expect(selects({ app: 'reviews' }, { app: 'reviews', version: 'v1' })).toBe(true);
    expect(selects({ app: 'reviews', version: 'v2' }, { app: 'reviews', version: 'v1' })).toBe(false);
    expect(selects({ app: 'reviews', version: 'v1' }, { app: 'reviews' })).toBe(false);
  });
});

describe('MeshIndex', () => {
  describe('resources', () => {
    const index = indexOf(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      service('reviews', 'shop'),
      service('ratings'),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { not: 'a kubernetes object' },
    );

    test('keeps the objects with a kind, in input order', () => {
      expect(index.resources.map(r => `${r.kind}/${r.name}`)).toEqual(['Namespace/shop', 'Service/reviews', 'Service/ratings', 'ClusterRole/reader', 'ConfigMap/']);
    });

    test('namespaced kinds default to the default namespace; cluster-scoped kinds have none', () => {
      expect(index.find(KINDS.Service, 'default', 'ratings')?.namespace).toBe('default');
      expect(index.find(KINDS.Service, 'default', 'ratings')?.ref).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'ratings', namespace: 'default' });
      expect(index.find(CLUSTER_ROLE, '', 'reader')?.ref).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader' });
      expect(index.find(KINDS.Namespace, '', 'shop')?.namespace).toBe('');
    });

    test('namespaces are the declared ones and those that hold resources', () => {
      expect([...index.namespaces].sort()).toEqual(['default', 'shop']);
    });

    test('ofKind and find', () => {
      expect(names(index.ofKind(KINDS.Service))).toEqual(['shop/reviews', 'default/ratings']);
      expect(index.ofKind(KINDS.Gateway)).toEqual([]);
      expect(index.find(KINDS.Service, 'shop', 'ratings')).toBeUndefined();
    });

    test('the root namespace is istio-system unless given', () => {
      expect(index.rootNamespace).toBe('istio-system');
      expect(MeshIndex.of([], 'mesh-root').rootNamespace).toBe('mesh-root');
    });

    test('keeps where a document came from on its reference', () => {
      const [r] = MeshIndex.of([{ doc: service('reviews', 'shop'), source: { file: 'shop.yaml', line: 12 }, constructPath: 'app/shop/reviews' }]).resources;
      expect(r.ref).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        name: 'reviews',
        namespace: 'shop',
        source: { file: 'shop.yaml', line: 12 },
        constructPath: 'app/shop/reviews',
      });
    });
  });

  describe('services and short-name qualification', () => {
    const index = indexOf(service('reviews', 'shop'), service('ratings'));

    test('a short host in namespace shop is reviews.shop.svc.cluster.local, found as a Service', () => {
      const fqdn = qualifyHost('reviews', 'shop');
      expect(fqdn).toBe('reviews.shop.svc.cluster.local');
      expect(index.service(fqdn)?.name).toBe('reviews');
      expect(index.hostKnown(fqdn, 'shop')).toBe(true);
    });

    test('the same short host from another namespace is a different, unknown host', () => {
      const fqdn = qualifyHost('reviews', 'web');
      expect(fqdn).toBe('reviews.web.svc.cluster.local');
      expect(index.service(fqdn)).toBeUndefined();
      expect(index.hostKnown(fqdn, 'web')).toBe(false);
    });

    test('a Service in another namespace is known by its FQDN from any namespace', () => {
      expect(index.hostKnown('reviews.shop.svc.cluster.local', 'web')).toBe(true);
    });

    test('a Service without a namespace is in default', () => {
      expect(index.service('ratings.default.svc.cluster.local')?.name).toBe('ratings');
    });

    test('FQDNs, external hosts and wildcards are taken as written', () => {
      expect(qualifyHost('reviews.shop.svc.cluster.local', 'web')).toBe('reviews.shop.svc.cluster.local');
      expect(qualifyHost('api.example.com', 'shop')).toBe('api.example.com');
      expect(qualifyHost('*', 'shop')).toBe('*');
      expect(index.service('reviews.shop')).toBeUndefined();
    });
  });

  describe('ServiceEntry hosts', () => {
    const index = indexOf(
      serviceEntry('payments', 'shop', ['api.payments.example.com']),
      serviceEntry('maps', 'shop', ['*.maps.example.com']),
      serviceEntry('internal', 'billing', ['ledger.billing.example.com', '*.ledger.example.com'], ['.']),
      serviceEntry('shared', 'billing', ['invoices.example.com'], ['shop']),
    );

    test('an exact host is known', () => {
      expect(index.hostKnown('api.payments.example.com', 'shop')).toBe(true);
      expect(index.hostKnown('api.payments.example.com', 'web')).toBe(true);
      expect(index.hostKnown('payments.example.com', 'shop')).toBe(false);
    });

    test('a wildcard host covers subdomains, not the domain itself', () => {
      expect(index.hostKnown('eu.maps.example.com', 'shop')).toBe(true);
      expect(index.hostKnown('a.b.maps.example.com', 'shop')).toBe(true);
      expect(index.hostKnown('maps.example.com', 'shop')).toBe(false);
    });

    test('exportTo "." hides exact and wildcard hosts from other namespaces', () => {
      expect(index.hostKnown('ledger.billing.example.com', 'billing')).toBe(true);
      expect(index.hostKnown('ledger.billing.example.com', 'shop')).toBe(false);
      expect(index.hostKnown('eu.ledger.example.com', 'billing')).toBe(true);
      expect(index.hostKnown('eu.ledger.example.com', 'shop')).toBe(false);
    });

    test('exportTo a named namespace shows the host there only', () => {
      expect(index.hostKnown('invoices.example.com', 'shop')).toBe(true);
      expect(index.hostKnown('invoices.example.com', 'web')).toBe(false);
      expect(index.hostKnown('invoices.example.com', 'billing')).toBe(false);
    });

    test('ServiceEntry hosts are not Kubernetes Services', () => {
      expect(index.service('api.payments.example.com')).toBeUndefined();
    });
  });

  describe('destinationRules()', () => {
    const index = indexOf(
      destinationRule('shop-wide', 'shop', '*.shop.svc.cluster.local'),
      destinationRule('reviews', 'shop', 'reviews'),
      destinationRule('reviews-fqdn', 'web', 'reviews.shop.svc.cluster.local'),
      destinationRule('reviews-private', 'shop', 'reviews', ['.']),
      destinationRule('reviews-for-web', 'catalog', 'reviews.shop.svc.cluster.local', ['web']),
      destinationRule('catalog-reviews', 'catalog', 'reviews'),
      destinationRule('everything', 'istio-system', '*'),
    );

    test('from the host namespace: exact-host rules first (in input order), then wildcard rules', () => {
      expect(names(index.destinationRulesFor('reviews.shop.svc.cluster.local', 'shop'))).toEqual([
        'shop/reviews', 'web/reviews-fqdn', 'shop/reviews-private', 'shop/shop-wide', 'istio-system/everything',
      ]);
    });

    test('from another namespace: rules exported only to their own namespace are left out, rules exported there are in', () => {
      expect(names(index.destinationRulesFor('reviews.shop.svc.cluster.local', 'web'))).toEqual([
        'shop/reviews', 'web/reviews-fqdn', 'catalog/reviews-for-web', 'shop/shop-wide', 'istio-system/everything',
      ]);
      expect(names(index.destinationRulesFor('reviews.shop.svc.cluster.local', 'billing'))).toEqual([
        'shop/reviews', 'web/reviews-fqdn', 'shop/shop-wide', 'istio-system/everything',
      ]);
    });

    test('a short rule host is qualified with the rule namespace', () => {
      expect(names(index.destinationRulesFor('reviews.catalog.svc.cluster.local', 'catalog'))).toEqual(['catalog/catalog-reviews', 'istio-system/everything']);
    });

    test('wildcard rules apply only to the hosts they cover', () => {
      expect(names(index.destinationRulesFor('ratings.web.svc.cluster.local', 'web'))).toEqual(['istio-system/everything']);
      expect(names(index.destinationRulesFor('ratings.shop.svc.cluster.local', 'shop'))).toEqual(['shop/shop-wide', 'istio-system/everything']);
    });
  });

  describe('gateway()', () => {
    const index = indexOf(gateway('shop-gateway', 'shop'), gateway('ingress', 'istio-system'));

    test('a bare name is looked up in the referring namespace', () => {
      expect(index.gateway('shop-gateway', 'shop')?.namespace).toBe('shop');
      expect(index.gateway('shop-gateway', 'web')).toBeUndefined();
      expect(index.gateway('ingress', 'shop')).toBeUndefined();
    });

    test('<namespace>/<name> is looked up in that namespace, from anywhere', () => {
      expect(index.gateway('istio-system/ingress', 'shop')?.name).toBe('ingress');
      expect(index.gateway('shop/shop-gateway', 'web')?.name).toBe('shop-gateway');
      expect(index.gateway('istio-system/shop-gateway', 'shop')).toBeUndefined();
      expect(index.gateway('istio-system/missing', 'shop')).toBeUndefined();
    });
  });

  describe('workloads', () => {
    const index = indexOf(
      deployment('reviews-v1', 'shop', { app: 'reviews', version: 'v1' }),
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db', 'shop'), spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta('debug', 'web'), labels: { app: 'debug' } }, spec: { containers: [{ name: 'debug' }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', 'shop'), data: {} },
    );

    test('pod templates of workload kinds, and Pods, by namespace', () => {
      expect(index.workloads('shop').map(w => [w.resource.kind, w.labels])).toEqual([
        ['Deployment', { app: 'reviews', version: 'v1' }],
        ['StatefulSet', { app: 'db' }],
      ]);
      expect(index.workloads('web').map(w => [w.resource.kind, w.labels, w.podSpec.containers?.length])).toEqual([['Pod', { app: 'debug' }, 1]]);
      expect(index.workloads('billing')).toEqual([]);
    });

    test('selectedWorkloads finds the pod templates carrying every selector label, in the namespace only', () => {
      expect(index.selectedWorkloads('shop', { app: 'reviews' }).map(w => w.resource.name)).toEqual(['reviews-v1']);
      expect(index.selectedWorkloads('shop', { app: 'reviews', version: 'v2' })).toEqual([]);
      expect(index.selectedWorkloads('web', { app: 'reviews' })).toEqual([]);
      expect(index.selectedWorkloads('shop', {}).map(w => w.resource.name)).toEqual(['reviews-v1', 'db']);
      expect(index.selectedWorkloads('shop', undefined)).toHaveLength(2);
    });

    test('allWorkloads spans every namespace', () => {
      expect(index.allWorkloads().map(w => w.resource.name).sort()).toEqual(['db', 'debug', 'reviews-v1']);
    });
  });
});

describe('API groups', () => {
  const apiGateway: Doc = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('shop-gateway', 'shop'), spec: { listeners: [] } };
  const foreignService: Doc = { apiVersion: 'example.com/v1', kind: 'Service', metadata: meta('reviews', 'shop'), spec: { ports: [{ port: 1 }] } };
  const extensionsDeployment: Doc = { ...deployment('old', 'shop', { app: 'old' }), apiVersion: 'extensions/v1beta1' };

  test('a Gateway API Gateway is not an Istio Gateway, whatever its name', () => {
    const index = indexOf(apiGateway);
    expect(index.gateway('shop-gateway', 'shop')).toBeUndefined();
    expect(index.gateways()).toEqual([]);
    expect(index.ofKind(KINDS.Gateway)).toEqual([]);
    expect(index.ofKind({ group: 'gateway.networking.k8s.io', kind: 'Gateway', versions: ['v1'] }).map(r => r.name)).toEqual(['shop-gateway']);
  });

  test('both Gateways of one name are kept, each under its group', () => {
    const index = indexOf(apiGateway, gateway('shop-gateway', 'shop'));
    expect(index.resources.map(r => `${r.group}/${r.kind}`)).toEqual(['gateway.networking.k8s.io/Gateway', 'networking.istio.io/Gateway']);
    expect(index.gateway('shop-gateway', 'shop')?.apiVersion).toBe(NETWORKING);
  });

  test('a Service of another group is not a Kubernetes Service', () => {
    const index = indexOf(foreignService);
    expect(index.services()).toEqual([]);
    expect(index.service('reviews.shop.svc.cluster.local')).toBeUndefined();
    expect(index.find(KINDS.Service, 'shop', 'reviews')).toBeUndefined();
  });

  test('core v1 and apps/v1 kinds are keyed apart: the core group is ""', () => {
    const index = indexOf(service('reviews', 'shop'), deployment('reviews', 'shop', { app: 'reviews' }));
    expect(index.find(KINDS.Service, 'shop', 'reviews')?.group).toBe('');
    expect(index.find(KINDS.Deployment, 'shop', 'reviews')?.group).toBe('apps');
    expect(index.find({ group: 'apps', kind: 'Service', versions: ['v1'] }, 'shop', 'reviews')).toBeUndefined();
  });

  test('a kind in a version its group does not serve is kept, but not read as that kind', () => {
    const index = indexOf(extensionsDeployment, { ...virtualService('reviews', 'shop'), apiVersion: 'networking.istio.io/v9' });
    expect(index.resources).toHaveLength(2);
    expect(index.allWorkloads()).toEqual([]);
    expect(index.virtualServices()).toEqual([]);
  });

  test('every served Istio version is read: v1alpha3, v1beta1 and v1', () => {
    const versions = ['v1alpha3', 'v1beta1', 'v1'];
    const index = indexOf(...versions.map(v => ({ ...virtualService(v, 'shop'), apiVersion: `networking.istio.io/${v}` })));
    expect(index.virtualServices().map(r => r.name)).toEqual(['v1alpha3', 'v1beta1', 'v1']);
  });

  test('typed accessors give the spec ({} when it is missing or not an object), and keep resource identity', () => {
    const bareDoc = { apiVersion: NETWORKING, kind: 'VirtualService', metadata: meta('bare', 'shop') };
    const index = indexOf(virtualService('reviews', 'shop'), bareDoc);
    const [reviews, bare] = index.virtualServices();
    expect(reviews.spec.hosts).toEqual(['reviews']);
    expect(bare.spec).toEqual({});
    expect(reviews).toBe(index.resources[0]);
  });

  test('cluster-scoped kinds are judged by group too', () => {
    const index = indexOf({ apiVersion: 'example.com/v1', kind: 'Namespace', metadata: meta('x', 'shop') });
    expect(index.resources[0].namespace).toBe('shop');
    expect(index.namespaceResources()).toEqual([]);
  });

  test('without() leaves resources out of every lookup', () => {
    const index = indexOf(service('reviews', 'shop'), gateway('gw', 'shop'));
    const smaller = index.without(new Set([index.resources[1]]));
    expect(smaller.gateway('gw', 'shop')).toBeUndefined();
    expect(smaller.service('reviews.shop.svc.cluster.local')?.name).toBe('reviews');
    expect(index.without(new Set())).toBe(index);
  });
});
