import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Lazy, Testing } from 'cdk8s';
import {
  AuthorizationAction, AuthorizationPolicy, ObservabilityAddons, Caller, ClientTlsMode, DestinationRule, EgressGatewayRoute,
  EgressProtocol, Gateway, GatewayProtocol, GatewayTls, GlobalRateLimit, IstioMetric, LoadBalancer, LocalRateLimit, MeshEnrollment,
  MeshInstall, MeshNamespace, MeshService, MtlsMode, PeerAuthentication, RateLimitService, RateLimitUnit, ReferenceGrant, Subset,
  RequestAuthentication, ServiceEntry, Sidecar, Telemetry, TracingTag, VirtualService, Waypoint, WorkloadRef, Kiali, SUPPRESS_ANNOTATION,
  analyze,
  routeOf, suppressAnalysis, writeManifests,
} from '../../lib';
import { expectMeshError, findDoc, newChart } from '../support/constructs';
import { testApp } from '../support/temporary-folders';

/**
 * Values a JavaScript caller (or a cast) can give where TypeScript admits only an enum member or
 * an instance of a class: each is refused naming the construct path, the prop and the fix, instead
 * of being dropped from the output (a `mode: 'STRICTEST'` that became "inherit") or failing deep in
 * the synthesis with a TypeError.
 */
const js = <T>(value: unknown): T => value as T;

/** Builds in a fresh chart `shop` and renders it. */
function build(fn: (chart: Chart) => void): void {
  const { chart } = newChart();
  fn(chart);
  Testing.synth(chart);
}

describe('a required name or host left out', () => {
  test('is refused as required, naming the prop, instead of a TypeError', () => {
    expectMeshError(() => build(c => new EgressGatewayRoute(c, 'e', js({ host: 'api.stripe.com', protocol: EgressProtocol.TLS }))),
      'test/e', 'name', 'is required, but undefined was given');
    expectMeshError(() => build(c => new EgressGatewayRoute(c, 'e', js({ name: 'stripe', host: null, protocol: EgressProtocol.TLS }))),
      'test/e', 'host', 'must be a host name, not null');
  });
});

describe('an enum prop given a string that is not one of its members', () => {
  test('PeerAuthentication mode "STRICTEST" (it was written as mtls: {}, i.e. inherit), and a port-level one', () => {
    expectMeshError(() => build(c => new PeerAuthentication(c, 'pa', { mode: js('STRICTEST') })), 'test/pa', 'mode',
      '"STRICTEST" is not a member of MtlsMode ("STRICT", "PERMISSIVE", "DISABLE", "UNSET")', 'use MtlsMode.STRICT, MtlsMode.PERMISSIVE');
    expectMeshError(() => build(c => new PeerAuthentication(c, 'pa', { mode: js('STRICT'), selector: { app: 'api' }, portLevelMtls: { 8080: js('strict') } })),
      'test/pa', 'portLevelMtls.8080', '"strict" is not a member of MtlsMode');
  });

  test('DestinationRule tls mode and load balancer algorithm (both vanished from the output)', () => {
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: 'api.example.com', trafficPolicy: { tls: { mode: js('STRICT') } } })),
      'test/dr', 'trafficPolicy.tls.mode', '"STRICT" is not a member of ClientTlsMode', `ClientTlsMode.${Object.keys(ClientTlsMode)[0]}`);
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: 'api.example.com', trafficPolicy: { loadBalancer: LoadBalancer.simple(js('WEIGHTED')) } })),
      'test/dr', 'trafficPolicy.loadBalancer.simple', '"WEIGHTED" is not a member of LoadBalancerAlgorithm', 'LoadBalancerAlgorithm.ROUND_ROBIN');
  });

  test('namespace enrollment, waypoint traffic type, egress protocol', () => {
    expectMeshError(() => build(c => new MeshNamespace(c, 'shop', { enrollment: js('AMBIENT') })), 'test/shop', 'enrollment',
      '"AMBIENT" is not a member of MeshEnrollment', 'MeshEnrollment.');
    expectMeshError(() => build(c => new Waypoint(c, 'wp', { trafficType: js('everything') })), 'test/wp', 'trafficType',
      '"everything" is not a member of WaypointTrafficType');
    expectMeshError(() => build(c => new EgressGatewayRoute(c, 'e', { name: 'stripe', host: 'api.stripe.com', protocol: js('HTTPS') })),
      'test/e', 'protocol', '"HTTPS" is not a member of EgressProtocol', 'EgressProtocol.TLS');
  });

  test('Telemetry: a metric name (disabling the override disabled every metric) and a mode', () => {
    expectMeshError(() => build(c => new Telemetry(c, 't', { metrics: [{ overrides: [{ metric: js('REQUEST_COUNTS'), disabled: true }] }] })),
      'test/t', 'metrics[0].overrides[0].metric', '"REQUEST_COUNTS" is not a member of IstioMetric', 'IstioMetric.REQUEST_COUNT');
    expectMeshError(() => build(c => new Telemetry(c, 't', { accessLogging: [{ providers: ['envoy'], mode: js('BOTH') }] })),
      'test/t', 'accessLogging[0].mode', '"BOTH" is not a member of TelemetryMode');
  });

  test('a global rate limit unit (the rate limit service could not load it)', () => {
    expectMeshError(() => build(c => {
      const api = new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1' } } });
      new GlobalRateLimit(c, 'g', { service: new RateLimitService(c, 'rls'), target: api, priority: 1, paths: { '/a': { requests: 5, unit: js('fortnight') } } });
    }), 'test/g', 'paths./a.unit', '"fortnight" is not a member of RateLimitUnit', 'RateLimitUnit.MINUTE');
  });

  test('MeshInstall: profile, access log encoding, outbound traffic policy', () => {
    const install = (props: object) => () => new MeshInstall(new Chart(testApp(), 'install'), 'istio', props);
    expectMeshError(install({ profile: 'production' }), 'install/istio', 'profile', '"production" is not a member of InstallProfile', 'InstallProfile.DEFAULT');
    expectMeshError(install({ meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'XML' } }), 'install/istio', 'meshConfig.accessLogEncoding',
      '"XML" is not a member of AccessLogEncoding');
    expectMeshError(install({ meshConfig: { outboundTrafficPolicy: 'DENY_ALL' } }), 'install/istio', 'meshConfig.outboundTrafficPolicy',
      '"DENY_ALL" is not a member of OutboundTrafficPolicy', 'OutboundTrafficPolicy.REGISTRY_ONLY');
  });
});

describe('a class-typed prop given a plain value', () => {
  test('a Duration given as a string, a LoadBalancer as a plain object, a tracing tag as a string', () => {
    const api = (c: Chart) => new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1' } } });
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: 'api.example.com', trafficPolicy: { connectionPool: { connectTimeout: js('5s') } } })),
      'test/dr', 'trafficPolicy.connectionPool.connectTimeout', 'must be a Duration, not "5s"', 'Duration.seconds(5)');
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: 'api.example.com', trafficPolicy: { loadBalancer: js({ simple: 'ROUND_ROBIN' }) } })),
      'test/dr', 'trafficPolicy.loadBalancer', 'must be a LoadBalancer, not a plain object', 'LoadBalancer.simple(');
    expectMeshError(() => build(c => new Telemetry(c, 't', { selector: api(c), tracing: [{ providers: ['otel'], customTags: { team: js('shop') } }] })),
      'test/t', 'tracing[0].customTags.team', 'must be a TracingTag, not "shop"', 'TracingTag.literal(');
    expect(() => build(c => new DestinationRule(c, 'dr', {
      host: 'api.example.com', trafficPolicy: { connectionPool: { connectTimeout: Duration.seconds(5) } },
    }))).not.toThrow();
    expect(TracingTag.literal('shop')).toBeInstanceOf(TracingTag);
  });

  test('a consistent hash on an empty header name', () => {
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: 'api.example.com', trafficPolicy: { loadBalancer: LoadBalancer.consistentHashByHeader('') } })),
      'test/dr', 'trafficPolicy.loadBalancer.consistentHash.httpHeaderName', '"" is not an HTTP header name', 'consistentHashByHeader(\'x-user-id\')');
  });
});

describe('a required prop left out, or a value of the wrong shape', () => {
  const api = (c: Chart) => new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1' } } });

  test('MeshService: props null, versions as a list, a probe as a plain object', () => {
    expectMeshError(() => build(c => new MeshService(c, 'api', js(null))), 'test/api', 'props', 'must be an object of props, not null');
    expectMeshError(() => build(c => new MeshService(c, 'api', { port: 8080, versions: js([{ image: 'nginx:1.25' }]) })), 'test/api', 'versions',
      'must map each version\'s name to its props, not a list', 'versions: { v1:');
    expectMeshError(() => build(c => new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'nginx:1.25', readinessProbe: js({ httpGet: { path: '/h', port: 8080 } }) } } })),
      'test/api', 'versions.v1.readinessProbe', 'must be a Probe, not a plain object', 'Probe.httpGet(');
  });

  test('Gateway: a server that is null, a protocol that is not one, TLS as a plain object', () => {
    expectMeshError(() => build(c => new Gateway(c, 'gw', { servers: js([null]) })), 'test/gw', 'servers[0]', 'must be a server ({ port, protocol, hosts }), not null');
    expectMeshError(() => build(c => new Gateway(c, 'gw', { servers: [{ port: 443, protocol: js('HTTP3'), hosts: ['a.example.com'] }] })),
      'test/gw', 'servers[0].protocol', '"HTTP3" is not a member of GatewayProtocol');
    expectMeshError(() => build(c => new Gateway(c, 'gw', {
      servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['a.example.com'], tls: js({ mode: 'SIMPLE', privateKey: '/etc/key.pem' }) }],
    })), 'test/gw', 'servers[0].tls', 'must be a GatewayTls, not a plain object', 'GatewayTls.simple(');
  });

  test('VirtualService hosts null or missing; RequestAuthentication without rules or with a numeric issuer', () => {
    expectMeshError(() => build(c => new VirtualService(c, 'r', { hosts: js([null]), http: [{ to: [api(c).version('v1')] }] })), 'test/r', 'hosts[0]',
      'must be a host name or a MeshService, not null');
    expectMeshError(() => build(c => new VirtualService(c, 'r', js({ http: [] }))), 'test/r', 'hosts', 'a VirtualService needs at least one host');
    expectMeshError(() => build(c => new RequestAuthentication(c, 'ra', js({ selector: api(c) }))), 'test/ra', 'jwtRules', 'at least one JWT rule is needed');
    expectMeshError(() => build(c => new RequestAuthentication(c, 'ra', { selector: api(c), jwtRules: [{ issuer: js(12345) }] })), 'test/ra', 'jwtRules[0].issuer',
      'must be the issuer as a string, not a number');
  });

  test('allowFrom given nothing or a name; a local rate limit without a target, or with a fractional fill interval', () => {
    expectMeshError(() => build(c => api(c).allowFrom(js(undefined))), 'test/api', 'allowFrom.callers[0]', 'must be a MeshService, not undefined', 'Caller.serviceAccount(\'<namespace>\', \'<name>\')');
    expectMeshError(() => build(c => api(c).allowFrom(js('payments'))), 'test/api', 'allowFrom.callers[0]', 'must be a MeshService, not "payments"');
    expectMeshError(() => build(c => new LocalRateLimit(c, 'rl', js({ bucket: { maxTokens: 10, fillInterval: Duration.seconds(1) } }))), 'test/rl', 'target',
      'must be the MeshService or Gateway whose requests are limited, not undefined');
    expectMeshError(() => build(c => new LocalRateLimit(c, 'rl', { target: api(c), bucket: { maxTokens: 10, fillInterval: Duration.millis(50.5) } })),
      'test/rl', 'bucket.fillInterval', '50.5ms is not a whole number of milliseconds');
  });

  test('WorkloadRef.existing(null) and suppressAnalysis of an unknown code say what to pass', () => {
    expect(() => WorkloadRef.existing(js(null))).toThrow(/^WorkloadRef\.existing: workload: must be an ApiObject or a construct holding one, not null\. Fix: /);
    expect(() => suppressAnalysis(js(undefined), ['IST0101'])).toThrow(/^suppressAnalysis: construct: must be an ApiObject or a library construct .*\. Fix: /);
    const { chart } = newChart();
    const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['a.example.com'] }] });
    expectMeshError(() => suppressAnalysis(gateway, js(['NOT-A-CODE'])), 'test/gw/Resource', 'suppressAnalysis.codes[0]', '"NOT-A-CODE" is not an analysis code', 'IST0101');
    suppressAnalysis(gateway, ['CDK0002']);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({ [SUPPRESS_ANNOTATION]: 'CDK0002' });
    suppressAnalysis(api(chart).service!, ['IST0118']);
    expect(findDoc(Testing.synth(chart), 'Service', 'api').metadata.annotations).toEqual({ [SUPPRESS_ANNOTATION]: 'IST0118' });
  });
});

describe('a list prop given one value, a required object left out, free-form values that are not data', () => {
  const api = (c: Chart) => new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1' } } });
  const bucket = { maxTokens: 10, fillInterval: Duration.seconds(1) };

  test('one string or object where a list is expected (each failed with "x.forEach is not a function")', () => {
    expectMeshError(() => build(c => new Sidecar(c, 's', { egressHosts: js('istio-system/*') })), 'test/s', 'egressHosts',
      'must be a list, not "istio-system/*"', 'give a list: egressHosts: [');
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', { selector: api(c), rules: js({ from: [Caller.any()] }) })),
      'test/ap', 'rules', 'must be a list, not a plain object');
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', { selector: api(c), rules: [{ when: [{ key: 'request.headers[x-env]', values: js('prod') }] }] })),
      'test/ap', 'rules[0].when[0].values', 'must be a list, not "prod"', 'values: [');
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', { selector: api(c), rules: [{ to: [{ methods: js('GET') }] }] })),
      'test/ap', 'rules[0].to[0].operation.methods', 'must be a list, not "GET"');
    expectMeshError(() => build(c => new LocalRateLimit(c, 'rl', { target: api(c), bucket, descriptors: js({ a: { pathPrefix: '/a' } }) })),
      'test/rl', 'descriptors', 'must be a list, not a plain object');
    expectMeshError(() => build(c => new EgressGatewayRoute(c, 'e', { name: 'stripe', host: 'api.stripe.com', protocol: EgressProtocol.TLS, callers: js(api(c)) })),
      'test/e', 'callers', 'must be a list, not a MeshService');
    expectMeshError(() => build(c => new ReferenceGrant(c, 'g', { from: js({ kind: 'HTTPRoute', namespace: 'other' }) })), 'test/g', 'from',
      'must be a list, not a plain object');
    expectMeshError(() => build(c => new Telemetry(c, 't', { accessLogging: [{ providers: js('envoy') }] })), 'test/t', 'accessLogging[0].providers',
      'must be a list, not "envoy"');
    expectMeshError(() => build(c => new Telemetry(c, 't', { metrics: [{ overrides: js({ metric: IstioMetric.REQUEST_COUNT, disabled: true }) }] })),
      'test/t', 'metrics[0].overrides', 'must be a list, not a plain object');
    expectMeshError(() => build(c => new RequestAuthentication(c, 'ra', {
      selector: api(c), jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks', audiences: js('shop') }],
    })), 'test/ra', 'jwtRules[0].audiences', 'must be a list, not "shop"');
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { ingressGateways: js({ name: 'istio-ingressgateway' }) })), 'test/istio',
      'ingressGateways', 'must be a list, not a plain object');
  });

  test('a misspelt or obsolete key: refused with the member meant, instead of a rule that means something else', () => {
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', { selector: api(c), action: js('deny'), rules: [{}] })), 'test/ap', 'action',
      '"deny" is not a member of AuthorizationAction', 'AuthorizationAction.DENY');
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', {
      selector: api(c), action: AuthorizationAction.DENY, rules: [js({ form: [{ namespaces: ['evil'] }] })],
    })), 'test/ap', 'rules[0].form', '"form" is not a member of an authorization rule, so it would be left out of the manifests', 'write from;');
    expectMeshError(() => build(c => new AuthorizationPolicy(c, 'ap', { selector: api(c), rules: [{ to: [js({ path: ['/admin'] })] }] })),
      'test/ap', 'rules[0].to[0].operation.path', 'is not a member of an authorization operation', 'write paths;');
    expectMeshError(() => build(c => new DestinationRule(c, 'dr', { host: api(c), trafficPolicy: { connectionPool: js({ maxConnection: 1 }) } })),
      'test/dr', 'trafficPolicy.connectionPool.maxConnection', 'is not a member of a connection pool', 'write maxConnections;');
    expectMeshError(() => build(c => {
      const service = api(c);
      new VirtualService(c, 'vs', { hosts: [service], http: [{ to: [service.version('v1')], fault: { delay: js({ fixedDelay: Duration.seconds(7), percent: 10 }) } }] });
    }), 'test/vs', 'http[0].fault.delay.percent', '"percent" is not a member of a fault delay', 'the members are fixedDelay, percentage');
    expectMeshError(() => build(c => api(c).allowFrom(new MeshService(c, 'front', { port: 80, versions: { v1: { image: 'nginx:1.25' } } }),
      js({ method: ['GET'] }))), 'test/api', 'allowFrom.method', 'is not a member of the allowFrom() options', 'write methods;');
  });

  test('MeshInstall: a Service type that is not one, a gateway name Helm cannot release, a sidecar quantity that is not one', () => {
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { ingressGateways: [{ name: 'istio-ingressgateway', serviceType: js('Nodeport') }] })),
      'test/istio', 'ingressGateways[0].serviceType', '"Nodeport" is not a member of GatewayServiceType', 'GatewayServiceType.NODE_PORT');
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { ingressGateways: [{ name: `istio-${'a'.repeat(54)}` }] })), 'test/istio',
      'ingressGateways[0].name', 'has 60 characters; it names the gateway\'s Helm release, which Helm limits to 53', 'use at most 53 characters');
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { sidecarProxy: { resources: { limits: { memory: '1 GB' } } } })), 'test/istio',
      'sidecarProxy.resources.limits.memory', '"1 GB" is not a non-negative Kubernetes quantity', '"128Mi"');
  });

  test('errors that name the real problem: a gateway named like an install release, a quoted node port, a kind in the wrong case', () => {
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { ingressGateways: [{ name: 'istiod' }] })), 'test/istio', 'ingressGateways[0].name',
      '"istiod" is the name of one of Istio\'s own Helm releases', 'e.g. istio-ingressgateway');
    expectMeshError(() => build(c => new ObservabilityAddons(c, 'addons').exposeOnNodePorts(c, js({ kiali: '30007' }))), 'test/addons',
      'exposeOnNodePorts.kiali', 'must be a port number, not "30007"', 'write kiali: 30007 (unquoted)');
    expectMeshError(() => build(c => new ReferenceGrant(c, 'g', { from: [{ kind: 'HttpRoute', namespace: 'other' }] })), 'test/g', 'from[0].kind',
      '"HttpRoute" is not a Gateway API kind (kinds are case-sensitive)', 'write HTTPRoute');
    expectMeshError(() => build(c => new Telemetry(c, 't', { tracing: js({ providers: ['zipkin'] }) })), 'test/t', 'tracing', 'must be a list, not a plain object');
  });

  test('a string where a boolean goes ("false" is truthy, so it turned the setting on)', () => {
    expectMeshError(() => build(c => new Sidecar(c, 's', { registryOnly: js('false') })), 'test/s', 'registryOnly',
      'must be true or false, not "false"', 'write registryOnly: false (unquoted)');
    expectMeshError(() => build(c => new LocalRateLimit(c, 'rl', { target: api(c), bucket, rateLimitHeaders: js('no') })), 'test/rl',
      'rateLimitHeaders', 'must be true or false, not "no"', 'write rateLimitHeaders: true (unquoted)');
    expectMeshError(() => build(c => new PeerAuthentication(c, 'pa', { mode: MtlsMode.STRICT, meshWide: js(1) })), 'test/pa', 'meshWide',
      'must be true or false, not a number');
    expectMeshError(() => build(c => new Telemetry(c, 't', { accessLogging: [{ providers: ['envoy'], disabled: js('true') }] })), 'test/t',
      'accessLogging[0].disabled', 'must be true or false, not "true"');
    expectMeshError(() => build(c => new MeshInstall(c, 'istio', { ingressGateways: [{ name: 'istio-ingressgateway', enabled: js('false') }] })),
      'test/istio', 'ingressGateways[0].enabled', 'must be true or false, not "false"');
  });

  test('a required object left out, or a name where a construct is expected', () => {
    expectMeshError(() => build(c => new LocalRateLimit(c, 'rl', js({ target: api(c) }))), 'test/rl', 'bucket',
      'must be a token bucket, not undefined', '{ maxTokens: 10, fillInterval: Duration.seconds(1) }');
    expectMeshError(() => build(c => new GlobalRateLimit(c, 'g', js({ target: api(c), otherPaths: { requests: 5, unit: RateLimitUnit.MINUTE } }))),
      'test/g', 'service', 'must be a RateLimitService, not undefined', 'new RateLimitService(');
    expectMeshError(() => build(c => new GlobalRateLimit(c, 'g', js({ service: new RateLimitService(c, 'rls') }))), 'test/g', 'target',
      'must be the MeshService or Gateway whose requests are limited, not undefined');
    expectMeshError(() => build(c => new Waypoint(c, 'w').enroll(js('orders'))), 'test/w', 'enroll()',
      'must be a construct of this App (a MeshService, a Waypoint, …), not "orders"', 'pass the construct itself');
    expectMeshError(() => build(c => new MeshNamespace(c, 'amb', { enrollment: MeshEnrollment.AMBIENT }).useWaypoint(js('waypoint'))), 'test/amb',
      'useWaypoint()', 'not "waypoint"');
  });

  test('Helm values that YAML cannot hold: a function, a BigInt, a Date, a Map, a cycle, a non-finite number, a list', () => {
    const values = (v: unknown) => () => build(c => new MeshInstall(c, 'istio', { values: js(v) }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const fix = 'give plain data only: objects, lists, strings, finite numbers, booleans and null';
    expectMeshError(values({ pilot: { hook: () => 1 } }), 'test/istio', 'values.pilot.hook', 'a function cannot be written to YAML', fix);
    expectMeshError(values({ pilot: { replicaCount: BigInt(2) } }), 'test/istio', 'values.pilot.replicaCount', 'a bigint cannot be written to YAML');
    expectMeshError(values({ pilot: { podAnnotations: { since: new Date(0) } } }), 'test/istio', 'values.pilot.podAnnotations.since', 'a Date is not plain data');
    expectMeshError(values({ pilot: { env: new Map([['A', 'b']]) } }), 'test/istio', 'values.pilot.env', 'a Map is not plain data');
    expectMeshError(values({ pilot: cyclic }), 'test/istio', 'values.pilot.self', 'the value contains itself (a cycle)');
    expectMeshError(values({ pilot: { cpu: { targetAverageUtilization: Infinity } } }), 'test/istio', 'values.pilot.cpu.targetAverageUtilization',
      'Infinity is not a finite number');
    expectMeshError(values({ global: { imagePullSecrets: ['a', undefined] } }), 'test/istio', 'values.global.imagePullSecrets[1]', 'a list item is undefined');
    expectMeshError(values(['pilot']), 'test/istio', 'values', 'must be an object of Helm values, not a list');
    expectMeshError(values(JSON.parse('{"pilot": {"__proto__": {"env": {}}}}')), 'test/istio', 'values.pilot.__proto__',
      'a key named __proto__ would be lost');
    build(c => new MeshInstall(c, 'istio', { values: { pilot: { autoscaleEnabled: false, env: { A: 'b' }, skipped: undefined } } }));
  });

  test('analyze() and routeOf() given something else than documents and a request say what to pass', () => {
    expect(() => analyze(js({ kind: 'VirtualService' }))).toThrow(/^analyze\(\) takes a list of documents, not a plain object\. Fix: /);
    const { chart } = newChart();
    api(chart);
    expect(() => routeOf(chart, js(null))).toThrow(/^the request must be an object such as \{ host: 'reviews', path: '\/' \}, not null\. Fix: /);
  });
});

test('writeManifests refuses such a value before anything is written', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'javascript-values-'));
  try {
    const app = new App();
    new PeerAuthentication(new Chart(app, 'mesh'), 'pa', { mode: MtlsMode.STRICT, meshWide: true });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(shop, 'shop');
    expect(() => {
      new PeerAuthentication(shop, 'pa', { mode: js('STRICTEST') });
      writeManifests(app, { outdir });
    }).toThrow(/shop\/pa: mode: "STRICTEST" is not a member of MtlsMode/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

describe('props left out, null or not an object', () => {
  /** A construct class, called the way a JavaScript caller can: with any props. */
  type AnyConstruct = new (scope: Chart, id: string, props: unknown) => unknown;
  const named = (classes: AnyConstruct[]) => classes.map(type => [type.name, (c: Chart, p: unknown) => new type(c, 'x', p)] as const);
  const REQUIRED = named([DestinationRule, LocalRateLimit, GlobalRateLimit, ServiceEntry, Telemetry, VirtualService, EgressGatewayRoute,
    ReferenceGrant, Kiali, MeshService, PeerAuthentication, RequestAuthentication].map(js<AnyConstruct>));
  const OPTIONAL = named([Sidecar, Waypoint, AuthorizationPolicy, Gateway, MeshNamespace, MeshInstall, RateLimitService,
    ObservabilityAddons].map(js<AnyConstruct>));

  test.each(REQUIRED)('%s: nothing, null or a string is refused at "props", with what the props need', (_, make) => {
    for (const [given, described] of [[undefined, 'undefined'], [null, 'null'], ['x', '"x"']] as const) {
      const { chart } = newChart();
      expectMeshError(() => make(chart, given), 'test/x', 'props', `must be an object of props, not ${described}`, 'Fix: give at least ');
    }
  });

  test.each(OPTIONAL)('%s: nothing gives the defaults; null or a list is refused at "props"', (_, make) => {
    expect(() => make(newChart().chart, undefined)).not.toThrow();
    for (const [given, described] of [[null, 'null'], [[], 'a list']] as const) {
      const { chart } = newChart();
      expectMeshError(() => make(chart, given), 'test/x', 'props', `must be an object of props, not ${described}`,
        'give an object of props, or none for the defaults');
    }
  });

  test('a VirtualService route that is null or a string is refused at its index', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'r', js({ hosts: ['orders'], http: [null] })), 'test/r', 'http[0]', 'must be a route, not null');
    expectMeshError(() => new VirtualService(chart, 'r2', js({ hosts: ['orders'], tcp: [{ to: [] }, 'x'] })), 'test/r2', 'tcp[1]',
      'must be a route, not "x"');
  });

  test('a label value that is a number is refused as not a string', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'pay', js({ port: 8080, serviceLabels: { tier: 1 }, versions: { v1: { image: 'r/p:1' } } })),
      'test/pay', 'serviceLabels.tier', 'must be a string, not ', '(label values are)');
  });
});

describe('a cdk8s token (Lazy) or a value of another kind where the library checks a string when the construct is made', () => {
  const lazy = Lazy.any({ produce: () => 'shop.example.com' });
  const web = (c: Chart) => new MeshService(c, 'web', { port: 8080, versions: { v1: { image: 'example/web:1' } } });
  test.each<[string, (c: Chart) => unknown, string, string]>([
    ['DestinationRule host 42', c => new DestinationRule(c, 'dr', { host: js(42) }), 'test/dr', 'host'],
    ['DestinationRule host a Lazy', c => new DestinationRule(c, 'dr', { host: js(lazy) }), 'test/dr', 'host'],
    ['DestinationRule without a host', c => new DestinationRule(c, 'dr', js({})), 'test/dr', 'host'],
    ['a Subset named by a Lazy', c => new DestinationRule(c, 'dr', { host: 'reviews', subsets: [Subset.version(js(lazy))] }), 'test/dr', 'subsets[0]'],
    ['Gateway servers not a list', c => new Gateway(c, 'gw', js({ servers: { port: 80 } })), 'test/gw', 'servers'],
    ['a Gateway host a Lazy', c => new Gateway(c, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: [js(lazy)] }] }),
      'test/gw', 'servers[0].hosts[0]'],
    ['a TLS credential name a Lazy', c => new Gateway(c, 'gw', {
      servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com'], tls: GatewayTls.simple(js(lazy)) }],
    }), 'test/gw', 'servers[0].tls.credentialName'],
    ['an AuthorizationPolicy principal a Lazy', c => new AuthorizationPolicy(c, 'ap', {
      selector: { app: 'orders' }, rules: [{ from: [{ principals: [js(lazy)] }] }],
    }), 'test/ap', 'rules[0].from[0].source.principals[0]'],
    ['a condition value a number', c => new AuthorizationPolicy(c, 'ap', {
      selector: { app: 'orders' }, rules: [{ when: [{ key: 'request.headers[x-tenant]', values: [js(7)] }] }],
    }), 'test/ap', 'rules[0].when[0].values[0]'],
    ['an allowFrom method a Lazy', c => web(c).allowFrom(Caller.ingressGateway(), { methods: [js(lazy)] }), 'test/web/AllowPolicy',
      'rules[0].to[0].operation.methods[0]'],
    ['a JWT issuer a Lazy', c => new RequestAuthentication(c, 'ra', {
      selector: { app: 'orders' }, jwtRules: [{ issuer: js(lazy), jwksUri: 'https://auth.example.com/jwks' }],
    }), 'test/ra', 'jwtRules[0].issuer'],
  ])('%s is refused naming the prop, not a TypeError or "[object Object]"', (_, make, constructPath, field) => {
    const error = expectMeshError(() => build(c => make(c)), constructPath, field);
    expect(error.message).toMatch(/must be .*not (a number|a Lazy|undefined|a plain object)/);
    expect(error.message).not.toContain('[object Object]');
  });
});
