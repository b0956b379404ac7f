import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CRD_SCHEMAS } from '../../imports/crd-schemas';
import { formatViolation, hasSchema, SchemaViolation, validateDocument, validateDocuments } from '../../lib/analysis/schema';
import { checkRule, ValidationRule } from '../../lib/analysis/schema/cel-rules';

type Doc = Record<string, unknown>;

function istio(apiVersion: string, kind: string, spec: Doc, name = 'example'): Doc {
  return { apiVersion, kind, metadata: { name, namespace: 'bookinfo', labels: { 'app.kubernetes.io/name': 'reviews' } }, spec };
}

const virtualService = (spec: Doc = {}) => istio('networking.istio.io/v1', 'VirtualService', {
  hosts: ['reviews'],
  http: [{
    match: [{ uri: { prefix: '/api' }, headers: { 'x-user': { exact: 'jason' } } }],
    route: [
      { destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 90 },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
    ],
    timeout: '10s',
    retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' },
  }],
  ...spec,
});

const destinationRule = (spec: Doc = {}) => istio('networking.istio.io/v1', 'DestinationRule', {
  host: 'reviews',
  trafficPolicy: {
    tls: { mode: 'ISTIO_MUTUAL' },
    connectionPool: { tcp: { maxConnections: 100, connectTimeout: '30ms' }, http: { http1MaxPendingRequests: 10 } },
    outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' },
  },
  subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  ...spec,
});

const gateway = () => istio('networking.istio.io/v1', 'Gateway', {
  selector: { istio: 'ingressgateway' },
  servers: [
    { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['bookinfo.example.com'], tls: { mode: 'SIMPLE', credentialName: 'bookinfo-cert' } },
    { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'], tls: { httpsRedirect: true } },
  ],
});

const authorizationPolicy = (spec: Doc = {}) => istio('security.istio.io/v1', 'AuthorizationPolicy', {
  selector: { matchLabels: { app: 'reviews' } },
  action: 'ALLOW',
  rules: [{
    from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/productpage'] } }],
    to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }],
  }],
  ...spec,
});

const peerAuthentication = (spec: Doc = {}) => istio('security.istio.io/v1', 'PeerAuthentication', {
  selector: { matchLabels: { app: 'reviews' } },
  mtls: { mode: 'STRICT' },
  portLevelMtls: { 9080: { mode: 'PERMISSIVE' } },
  ...spec,
});

const requestAuthentication = (jwtRule: Doc = {}) => istio('security.istio.io/v1', 'RequestAuthentication', {
  selector: { matchLabels: { app: 'reviews' } },
  jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks.json', ...jwtRule }],
});

const serviceEntry = (spec: Doc = {}) => istio('networking.istio.io/v1', 'ServiceEntry', {
  hosts: ['api.example.com'],
  location: 'MESH_EXTERNAL',
  resolution: 'DNS',
  ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
  ...spec,
});

const deployment = (containerPort: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'reviews-v1', namespace: 'bookinfo' },
  spec: {
    selector: { matchLabels: { app: 'reviews' } },
    template: {
      metadata: { labels: { app: 'reviews' } },
      spec: { containers: [{ name: 'reviews', image: 'reviews:1.0', ports: [{ containerPort }] }] },
    },
  },
});

const service = (port: unknown, targetPort: unknown) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'reviews', namespace: 'bookinfo' },
  spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port, targetPort }] },
});

/** Just the path, message and source of each violation, for compact assertions. */
/** The violations of a document, each message without its fix (the fixes have a test of their own). */
function found(doc: unknown): Array<Pick<SchemaViolation, 'path' | 'message' | 'source'>> {
  return validateDocument(doc).map(v => ({ path: v.path, message: withoutFix(v.message), source: v.source }));
}

function withoutFix(message: string): string {
  return message.split('. Fix: ')[0];
}

describe('valid documents', () => {
  test.each([
    ['VirtualService', virtualService()],
    ['DestinationRule', destinationRule()],
    ['Gateway', gateway()],
    ['AuthorizationPolicy', authorizationPolicy()],
    ['PeerAuthentication', peerAuthentication()],
    ['RequestAuthentication', requestAuthentication()],
    ['ServiceEntry', serviceEntry()],
    ['Sidecar', istio('networking.istio.io/v1', 'Sidecar', { egress: [{ hosts: ['./*', 'istio-system/*'] }], inboundConnectionPool: { tcp: { connectTimeout: '1ms' } } })],
    ['Deployment', deployment(9080)],
    ['Service', service(9080, 9080)],
    ['Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } }],
  ])('%s passes', (_kind, doc) => {
    expect(validateDocument(doc)).toEqual([]);
  });

  test('validateDocuments of valid documents is empty', () => {
    expect(validateDocuments([virtualService(), destinationRule(), deployment(80)])).toEqual([]);
  });

  test('the older served versions v1alpha3 and v1beta1 are validated too', () => {
    for (const apiVersion of ['networking.istio.io/v1alpha3', 'networking.istio.io/v1beta1']) {
      expect(validateDocument({ ...destinationRule(), apiVersion })).toEqual([]);
      expect(found({ ...destinationRule({ trafficPolicy: { tls: { mode: 'FOO' } } }), apiVersion })).toEqual([
        expect.objectContaining({ path: 'spec.trafficPolicy.tls.mode', source: 'schema' }),
      ]);
    }
    expect(found({ ...authorizationPolicy({ targetRefs: [{ kind: 'Service', group: '', name: 'reviews' }] }), apiVersion: 'security.istio.io/v1beta1' })).toEqual([
      { path: 'spec', message: 'only one of targetRefs or selector can be set', source: 'cel' },
    ]);
  });
});

describe('OpenAPI schema', () => {
  test('an unknown field is reported with its path and the known fields', () => {
    const doc = virtualService();
    ((doc.spec as Doc).http as Doc[])[0].route = [{ destination: { host: 'reviews' }, wieght: 100 }];
    expect(validateDocument(doc)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      name: 'example',
      namespace: 'bookinfo',
      path: 'spec.http[0].route[0].wieght',
      message: 'unknown field "wieght"; known fields are destination, headers, weight. Fix: remove the field, or correct its name',
      source: 'schema',
    }]);
  });

  test('unknown top-level and metadata fields are reported', () => {
    const doc = { ...serviceEntry(), extra: true, metadata: { name: 'x', lables: {} } };
    expect(found(doc).map((v) => v.path)).toEqual(['metadata.lables', 'extra']);
  });

  test('fields under x-kubernetes-preserve-unknown-fields are free-form', () => {
    const doc = istio('networking.istio.io/v1alpha3', 'EnvoyFilter', {
      configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua', typed_config: { anything: [1, 'two'] } } } }],
    });
    expect(validateDocument(doc)).toEqual([]);
  });

  test('a wrong enum value lists the allowed values', () => {
    const [violation] = found(destinationRule({ trafficPolicy: { tls: { mode: 'FOO' } } }));
    expect(violation.path).toBe('spec.trafficPolicy.tls.mode');
    expect(violation.message).toMatch(/^must be one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL".*, not the string "FOO"$/);
  });

  test('every schema message ends with how to fix it', () => {
    const fixOf = (doc: unknown) => validateDocument(doc).map(v => v.message.split('. Fix: ')[1]);
    const noHost = destinationRule();
    delete (noHost.spec as Doc).host;
    expect(fixOf(noHost)).toEqual(['add host']);
    expect(fixOf(destinationRule({ trafficPolicy: { tls: { mode: 'FOO' } } }))).toEqual(['use one of those values']);
    expect(fixOf(serviceEntry({ hosts: [] }))).toEqual(['add entries, or leave the field out']);
    expect(fixOf(destinationRule({ trafficPolicy: { connectionPool: { tcp: { connectTimeout: 5 } } } }))).toEqual(['give a string']);
    expect(fixOf(destinationRule({ workloadSelector: { matchLabels: { app: 'x'.repeat(64) } } }))).toEqual(
      expect.arrayContaining(['shorten it to at most 63 characters']));
  });

  test('a missing required field is reported at its own path', () => {
    const doc = destinationRule();
    delete (doc.spec as Doc).host;
    expect(found(doc)).toEqual([{ path: 'spec.host', message: 'is required', source: 'schema' }]);
  });

  test('a wrong type names the expected and the actual type', () => {
    const doc = virtualService();
    ((doc.spec as Doc).http as Doc[])[0].route = [{ destination: { host: 'reviews' }, weight: '100' }];
    expect(found(doc)).toEqual([
      { path: 'spec.http[0].route[0].weight', message: 'must be an integer, not the string "100"', source: 'schema' },
    ]);
  });

  test('a oneOf of required fields reads as "at most one of"', () => {
    const doc = destinationRule({ trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } } } });
    expect(found(doc)).toEqual([{
      path: 'spec.trafficPolicy.loadBalancer',
      message: 'at most one of simple, consistentHash may be set, found simple and consistentHash',
      source: 'schema',
    }]);
  });

  test('nullable fields accept null, others do not', () => {
    const nullable = destinationRule({ host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: null } } });
    expect(validateDocument(nullable)).toEqual([]);
    const notNullable = destinationRule({ trafficPolicy: { outlierDetection: { interval: null } } });
    expect(found(notNullable)).toEqual([
      { path: 'spec.trafficPolicy.outlierDetection.interval', message: 'must be a string, not null', source: 'schema' },
    ]);
  });

  test('int-or-string accepts both forms and nothing else', () => {
    for (const observedGeneration of [3, '3']) {
      expect(validateDocument({ ...virtualService(), status: { observedGeneration } })).toEqual([]);
    }
    expect(found({ ...virtualService(), status: { observedGeneration: true } })).toEqual([
      { path: 'status.observedGeneration', message: 'must be an integer or a string, not boolean true', source: 'schema' },
    ]);
    for (const targetPort of [9080, 'http']) {
      expect(validateDocument(service(80, targetPort))).toEqual([]);
    }
    expect(found(service(80, false))).toEqual([
      { path: 'spec.ports[0].targetPort', message: 'must be a string or an integer, not boolean false', source: 'kubernetes' },
    ]);
  });

  test('range, size and pattern limits are reported in words', () => {
    const gw = gateway();
    ((gw.spec as Doc).servers as Doc[])[1].port = { number: -1, name: 'http', protocol: 'HTTP' };
    expect(found(gw)).toEqual([{ path: 'spec.servers[1].port.number', message: 'must be >= 0', source: 'schema' }]);
    expect(found(serviceEntry({ hosts: [] }))).toEqual([{ path: 'spec.hosts', message: 'must have at least 1 item', source: 'schema' }]);
    expect(found(destinationRule({ workloadSelector: { matchLabels: { app: 'x'.repeat(64) } } }))).toEqual([
      { path: 'spec.workloadSelector.matchLabels.app', message: 'must be at most 63 characters long', source: 'schema' },
    ]);
    const filter = istio('networking.istio.io/v1alpha3', 'EnvoyFilter', { targetRefs: [{ group: 'Not_A_Group', kind: 'Gateway', name: 'gw' }] });
    expect(found(filter)).toEqual([{
      path: 'spec.targetRefs[0].group',
      message: 'must match the pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$, not the string "Not_A_Group"',
      source: 'schema',
    }]);
  });

  test('numeric formats (int32, double) validate as plain numbers', () => {
    const doc = virtualService({ http: [{ route: [{ destination: { host: 'reviews' } }], mirrorPercentage: { value: 12.5 } }] });
    expect(validateDocument(doc)).toEqual([]);
  });

  test('an int32 field outside the int32 range is reported, as Istio\'s webhook rejects it', () => {
    const pool = (maxConnections: number) => destinationRule({ trafficPolicy: { connectionPool: { tcp: { maxConnections } } } });
    const at = 'spec.trafficPolicy.connectionPool.tcp.maxConnections';
    expect(validateDocument(pool(2 ** 31 - 1))).toEqual([]);
    expect(validateDocument(pool(-(2 ** 31)))).toEqual([]);
    expect(found(pool(2 ** 31))).toEqual([{ path: at, message: 'must be <= 2147483647', source: 'schema' }]);
    expect(found(pool(-(2 ** 31) - 1))).toEqual([{ path: at, message: 'must be >= -2147483648', source: 'schema' }]);
  });

  test('a schema\'s own bounds tighter than its format\'s are kept', () => {
    const route = (weight: number) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'bookinfo' },
      spec: { rules: [{ backendRefs: [{ name: 'reviews', port: 9080, weight }] }] },
    });
    expect(validateDocument(route(1_000_000))).toEqual([]);
    expect(found(route(1_000_001))).toEqual([{ path: 'spec.rules[0].backendRefs[0].weight', message: 'must be <= 1000000', source: 'schema' }]);
  });

  test('list-map keys must be unique', () => {
    const doc = serviceEntry({ ports: [{ number: 443, name: 'https', protocol: 'TLS' }, { number: 8443, name: 'https', protocol: 'TLS' }] });
    expect(found(doc)).toEqual([
      { path: 'spec.ports[1]', message: 'duplicate entry: another item already has name="https"', source: 'schema' },
    ]);
  });

  test('every Istio and Gateway API kind and version compiles and validates', () => {
    for (const key of Object.keys(CRD_SCHEMAS.kinds)) {
      const slash = key.lastIndexOf('/');
      const doc = { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), metadata: { name: 'x' }, spec: {} };
      expect(validateDocument(doc).filter((v) => /no schema|could not be/.test(v.message))).toEqual([]);
    }
  });
});

describe('CEL rules', () => {
  test('PeerAuthentication portLevelMtls requires a selector', () => {
    const doc = peerAuthentication();
    delete (doc.spec as Doc).selector;
    expect(found(doc)).toEqual([{ path: 'spec', message: 'portLevelMtls requires selector', source: 'cel' }]);
    expect(found(peerAuthentication({ selector: { matchLabels: {} } }))).toEqual([
      { path: 'spec', message: 'portLevelMtls requires selector', source: 'cel' },
    ]);
  });

  test('PeerAuthentication port keys must be valid port numbers', () => {
    expect(found(peerAuthentication({ portLevelMtls: { 0: { mode: 'DISABLE' } } }))).toEqual([
      { path: 'spec.portLevelMtls', message: 'port must be between 1-65535', source: 'cel' },
    ]);
  });

  test('AuthorizationPolicy cannot have both selector and targetRefs', () => {
    const doc = authorizationPolicy({ targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }] });
    expect(found(doc)).toEqual([{ path: 'spec', message: 'only one of targetRefs or selector can be set', source: 'cel' }]);
  });

  test('AuthorizationPolicy serviceAccounts cannot be combined with principals', () => {
    const doc = authorizationPolicy({ rules: [{ from: [{ source: { serviceAccounts: ['bookinfo/productpage'], principals: ['cluster.local/ns/bookinfo/sa/productpage'] } }] }] });
    expect(found(doc)).toEqual([
      { path: 'spec.rules[0].from[0].source', message: 'Cannot set serviceAccounts with namespaces or principals', source: 'cel' },
    ]);
  });

  test('RequestAuthentication cannot have both jwks and jwksUri', () => {
    expect(found(requestAuthentication({ jwks: '{"keys":[]}' }))).toEqual([
      { path: 'spec.jwtRules[0]', message: 'only one of jwks or jwksUri can be set', source: 'cel' },
    ]);
  });

  test('RequestAuthentication jwksUri must be an http(s) URL (Kubernetes url() library)', () => {
    expect(found(requestAuthentication({ jwksUri: 'ftp://issuer.example.com/jwks.json' }))).toEqual([
      { path: 'spec.jwtRules[0].jwksUri', message: 'url must have scheme http:// or https://', source: 'cel' },
    ]);
    const [notAUrl] = found(requestAuthentication({ jwksUri: 'issuer.example.com/jwks.json' }));
    expect(notAUrl.path).toBe('spec.jwtRules[0].jwksUri');
    expect(notAUrl.message).toMatch(/^url must have scheme http:\/\/ or https:\/\/ \(the rule could not be evaluated: .*invalid URI for request/);
  });

  test('WasmPlugin url accepts the allowed schemes, with or without one (isURL, url, getScheme)', () => {
    const plugin = (url: string) => istio('extensions.istio.io/v1alpha1', 'WasmPlugin', { url, selector: { matchLabels: { app: 'reviews' } } });
    for (const url of ['oci://registry.example.com/filters/auth:1.0', 'https://example.com/f.wasm', 'file:///opt/f.wasm', 'registry.example.com/filters/auth:1.0']) {
      expect(validateDocument(plugin(url))).toEqual([]);
    }
    for (const url of ['ftp://example.com/f.wasm', 'localhost:5000/filter']) {
      expect(found(plugin(url))).toEqual([{ path: 'spec.url', message: 'url must have schema one of [http, https, file, oci]', source: 'cel' }]);
    }
  });

  test('ServiceEntry resolution NONE cannot have endpoints', () => {
    expect(found(serviceEntry({ resolution: 'NONE', endpoints: [{ address: '10.0.0.1' }] }))).toEqual([
      { path: 'spec', message: 'NONE mode cannot set endpoints', source: 'cel' },
    ]);
  });

  test('a port number 0 breaks "0 < self && self <= 65535"', () => {
    expect(found(serviceEntry({ ports: [{ number: 0, name: 'https', protocol: 'TLS' }] }))).toEqual([
      { path: 'spec.ports[0].number', message: 'port must be between 1-65535', source: 'cel' },
    ]);
  });

  test('ServiceEntry port numbers cannot repeat (exists_one)', () => {
    const doc = serviceEntry({ ports: [{ number: 443, name: 'https', protocol: 'TLS' }, { number: 443, name: 'tls', protocol: 'TLS' }] });
    expect(found(doc)).toEqual([{ path: 'spec.ports', message: 'port number cannot be duplicated', source: 'cel' }]);
  });

  test('WorkloadEntry UDS addresses must be absolute (substring)', () => {
    const entry = (address: string) => istio('networking.istio.io/v1', 'WorkloadEntry', { address });
    expect(validateDocument(entry('unix:///var/run/app.sock'))).toEqual([]);
    expect(found(entry('unix://var/run/app.sock'))).toEqual([
      { path: 'spec.address', message: 'UDS must be an absolute path or abstract socket', source: 'cel' },
    ]);
  });

  test('durations below 1ms are rejected in every kind that has them', () => {
    const sidecar = istio('networking.istio.io/v1', 'Sidecar', { inboundConnectionPool: { tcp: { connectTimeout: '500us' } } });
    expect(found(sidecar)).toEqual([
      { path: 'spec.inboundConnectionPool.tcp.connectTimeout', message: 'must be a valid duration greater than 1ms', source: 'cel' },
    ]);
    const vs = virtualService();
    ((vs.spec as Doc).http as Doc[])[0].timeout = '0s';
    expect(found(vs)).toEqual([{ path: 'spec.http[0].timeout', message: 'must be a valid duration greater than 1ms', source: 'cel' }]);
    const [unparsable] = found(destinationRule({ trafficPolicy: { connectionPool: { tcp: { connectTimeout: 'soon' } } } }));
    expect(unparsable.message).toMatch(/^must be a valid duration greater than 1ms \(the rule could not be evaluated: /);
  });

  test('rules are not run over values that failed their type checks', () => {
    expect(found(destinationRule({ trafficPolicy: { connectionPool: { tcp: { connectTimeout: 5 } } } }))).toEqual([
      { path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', message: 'must be a string, not the integer 5', source: 'schema' },
    ]);
  });

  test('every rule in the Istio CRDs compiles', () => {
    const rules = new Map<string, ValidationRule>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) {node.forEach(collect);} else if (typeof node === 'object' && node !== null) {
        for (const rule of ((node as Doc)['x-kubernetes-validations'] ?? []) as ValidationRule[]) rules.set(rule.rule, rule);
        Object.values(node).forEach(collect);
      }
    };
    collect(CRD_SCHEMAS.schemas);
    expect(rules.size).toBeGreaterThan(30);
    for (const rule of rules.values()) {
      expect(checkRule(rule, null) ?? '').not.toContain('could not be compiled');
    }
  });

  test('the failure message comes from messageExpression, else message, else the rule', () => {
    expect(checkRule({ rule: 'self > 1', messageExpression: '"got " + string(self)', message: 'too small' }, 1n)).toBe('got 1');
    expect(checkRule({ rule: 'self > 1', messageExpression: '""', message: 'too small' }, 1n)).toBe('too small');
    expect(checkRule({ rule: 'self > 1' }, 1n)).toBe('failed rule: self > 1');
    expect(checkRule({ rule: 'self > 1' }, 2n)).toBeUndefined();
    expect(checkRule({ rule: 'self >' }, 2n)).toMatch(/^failed rule: self > \(the rule could not be compiled: /);
  });
});

describe('Kubernetes kinds', () => {
  test('a Deployment with a string containerPort is reported', () => {
    expect(validateDocument(deployment('9080'))).toEqual([{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'reviews-v1',
      namespace: 'bookinfo',
      path: 'spec.template.spec.containers[0].ports[0].containerPort',
      message: 'must be an integer, not the string "9080". Fix: give an integer',
      source: 'kubernetes',
    }]);
  });

  test('a Service with a port of the wrong type is reported', () => {
    expect(found(service('http', 9080))).toEqual([
      { path: 'spec.ports[0].port', message: 'must be an integer, not the string "http"', source: 'kubernetes' },
    ]);
  });

  test('a missing required field is reported', () => {
    const doc = deployment(80);
    delete (doc.spec as Doc).selector;
    expect(found(doc)).toEqual([{ path: 'spec.selector', message: 'is required', source: 'kubernetes' }]);
  });

  test('an unknown field is reported, as strict field validation does, with the known fields', () => {
    const doc = deployment(80);
    const container = ((doc.spec.template.spec as Doc).containers as Doc[])[0];
    container.imagePolicy = 'Always';
    expect(found(doc)).toEqual([{
      path: 'spec.template.spec.containers[0].imagePolicy',
      message: expect.stringMatching(/^unknown field "imagePolicy"; known fields are args, command, env, .*imagePullPolicy/),
      source: 'kubernetes',
    }]);
    expect(found({ ...service(80, 80), spec: { ...service(80, 80).spec, selectr: { app: 'x' } } })).toEqual([
      { path: 'spec.selectr', message: expect.stringMatching(/^unknown field "selectr"/), source: 'kubernetes' },
    ]);
  });

  test('int32 fields are range-checked and enums are enforced', () => {
    expect(found(deployment(2 ** 31))).toEqual([{
      path: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'must be <= 2147483647', source: 'kubernetes',
    }]);
    const doc = deployment(80);
    ((doc.spec.template.spec as Doc).containers as Doc[])[0].imagePullPolicy = 'Sometimes';
    expect(found(doc)).toEqual([{
      path: 'spec.template.spec.containers[0].imagePullPolicy',
      message: 'must be one of "Always", "IfNotPresent", "Never", not the string "Sometimes"',
      source: 'kubernetes',
    }]);
  });

  test('quantities are numbers or strings in the API server\'s grammar', () => {
    const withLimits = (limits: Doc) => {
      const doc = deployment(80);
      ((doc.spec.template.spec as Doc).containers as Doc[])[0].resources = { limits };
      return doc;
    };
    expect(validateDocument(withLimits({ 'cpu': '500m', 'memory': '128Mi', 'ephemeral-storage': 1, 'nvidia.com/gpu': '1e3' }))).toEqual([]);
    expect(found(withLimits({ cpu: '1.5 cores' })).map((v) => v.path)).toEqual(['spec.template.spec.containers[0].resources.limits.cpu']);
  });

  test('null in an optional field is taken as unset, as the API server does', () => {
    const doc = deployment(80);
    (doc.spec as Doc).paused = null;
    expect(validateDocument(doc)).toEqual([]);
  });

  test('every kind in dist/ and of the library has a schema; minimal documents of the other covered kinds validate', () => {
    const container = { name: 'app', image: 'busybox' };
    const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [container] } };
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const minimal: Doc[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', stringData: { a: 'b' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template, volumeClaimTemplates: [claim] },
      },
    ];
    expect(validateDocuments(minimal)).toEqual([]);
    const dist = path.resolve(__dirname, '..', '..', 'dist');
    // (dist/install/helm/ holds Helm values files, which are no Kubernetes documents)
    const files = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml') && !f.startsWith(path.join('install', 'helm')));
    const docs = files.flatMap((f) => (yaml.loadAll(fs.readFileSync(path.join(dist, f), 'utf8')) as Doc[]).filter(Boolean));
    const kinds = new Set(docs.map((d) => `${d.apiVersion} ${d.kind}`));
    const known = (k: string) => hasSchema(k.split(' ')[0], k.split(' ')[1]);
    expect(kinds.size).toBeGreaterThan(5);
    expect([...kinds].filter((k) => !known(k))).toEqual([]);
    const emitted = [
      'v1 Namespace', 'v1 Service', 'v1 ServiceAccount', 'apps/v1 Deployment', 'apps/v1 StatefulSet', 'v1 Secret', 'v1 ConfigMap',
    ];
    expect(emitted.filter((k) => !known(k))).toEqual([]);
  });
});

describe('metadata and unknown documents', () => {
  test('an unknown kind has no schema', () => {
    expect(validateDocument({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([{
      apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', path: '', message: 'no schema for example.com/v1/Widget', source: 'schema',
    }]);
    expect(found({ apiVersion: 'v1', kind: 'Container', metadata: { name: 'c' } })).toEqual([
      { path: '', message: 'no schema for v1/Container', source: 'schema' },
    ]);
  });

  test('a document that is not a Kubernetes object is reported', () => {
    expect(found('kind: Service')).toEqual([{ path: '', message: expect.stringMatching(/^is not a Kubernetes object/), source: 'schema' }]);
  });

  test('a bad metadata.name is reported, in the format of the kind', () => {
    expect(found({ ...virtualService(), metadata: { name: 'Reviews_VS' } })).toEqual([{
      path: 'metadata.name',
      message: expect.stringMatching(/^"Reviews_VS" must be a DNS-1123 subdomain/),
      source: 'schema',
    }]);
    expect(found({ ...service(80, 80), metadata: { name: '9reviews' } })).toEqual([
      { path: 'metadata.name', message: expect.stringMatching(/^"9reviews" must be a DNS-1035 label/), source: 'schema' },
    ]);
    expect(found({ ...virtualService(), metadata: {} })).toEqual([{ path: 'metadata.name', message: 'is required', source: 'schema' }]);
  });

  test('a bad namespace, label key or label value is reported', () => {
    const doc = { ...gateway(), metadata: { name: 'gw', namespace: 'Book.Info', labels: { 'bad key!': 'v', 'ok': 'bad value!' } } };
    expect(found(doc).map((v) => v.path)).toEqual(['metadata.namespace', 'metadata.labels["bad key!"]', 'metadata.labels.ok']);
  });

  test('formatViolation names the kind, namespace/name and path', () => {
    const doc = virtualService();
    ((doc.spec as Doc).http as Doc[])[0].timeout = '0s';
    expect(validateDocuments([doc]).map(formatViolation)).toEqual([
      'VirtualService bookinfo/example spec.http[0].timeout: must be a valid duration greater than 1ms. '
        + 'Fix: change the value so that the CRD\'s validation rule holds',
    ]);
    expect(formatViolation({ apiVersion: 'x/v1', kind: 'Widget', name: 'w', path: '', message: 'no schema for x/v1/Widget', source: 'schema' }))
      .toBe('Widget w: no schema for x/v1/Widget');
  });
});
