import { FailingCase, expectAccepted, expectProblemAt, httpRoute, istio } from './documents';

const M = 'spec.http[0].match[0]';
const se = (spec: Record<string, unknown>) => istio('ServiceEntry', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], ...spec });
const gateway = (servers: unknown[], name = 'shop-gateway') => istio('Gateway', { selector: { istio: 'ingressgateway' }, servers }, name);
const server = (extra: Record<string, unknown>) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], ...extra });

const failing: FailingCase[] = [
  { name: 'a VirtualService host listed twice', doc: istio('VirtualService', { hosts: ['a.example.com', 'a.example.com'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.hosts[1]', says: 'host "a.example.com" overlaps host "a.example.com"', fix: 'list each host once' },
  { name: 'a VirtualService host a wildcard host covers', doc: istio('VirtualService', { hosts: ['*.example.com', 'a.example.com'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.hosts[1]', says: 'overlaps host "*.example.com"', fix: 'a wildcard host' },
  { name: 'a Gateway server protocol Istio does not know', doc: istio('Gateway', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'h3', protocol: 'HTTP3' }, hosts: ['a.example.com'] }] }, 'gw'), path: 'spec.servers[0].port.protocol', says: '"HTTP3" is not a protocol Istio supports', fix: 'HTTPS' },
  { name: 'a socket endpoint with DNS resolution', doc: istio('ServiceEntry', { hosts: ['x.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', endpoints: [{ address: 'unix:///var/run/x.sock' }] }, 'se'), path: 'spec.endpoints[0].address', says: 'is a socket, and resolution DNS needs an IP address or a DNS name', fix: 'resolution STATIC' },
  { name: 'uri regex with lookahead', doc: httpRoute({ match: [{ uri: { regex: '(?=x)' } }] }), path: `${M}.uri.regex`, says: 'is not an RE2 regex', fix: 'no lookaround' },
  { name: 'header regex with a backreference', doc: httpRoute({ match: [{ headers: { 'x-a': { regex: '(a)\\1' } } }] }), path: `${M}.headers.x-a.regex`, says: 'is not an RE2 regex', fix: 'RE2' },
  { name: 'unbalanced group in a query parameter regex', doc: httpRoute({ match: [{ queryParams: { v: { regex: '(abc' } } }] }), path: `${M}.queryParams.v.regex`, says: 'missing closing )', fix: 'RE2' },
  { name: 'regex longer than 1024 bytes', doc: httpRoute({ match: [{ authority: { regex: 'a'.repeat(1025) } }] }), path: `${M}.authority.regex`, says: '1025 bytes long, more than the 1024', fix: 'at most 1024 bytes' },
  { name: 'empty regex', doc: httpRoute({ match: [{ method: { regex: '' } }] }), path: `${M}.method.regex`, says: 'the regex is empty', fix: 'exact or prefix' },
  { name: 'withoutHeaders regex', doc: httpRoute({ match: [{ withoutHeaders: { 'x-b': { regex: '[' } } }] }), path: `${M}.withoutHeaders.x-b.regex`, says: 'not an RE2 regex', fix: 'RE2' },
  { name: 'scheme regex', doc: httpRoute({ match: [{ scheme: { regex: '*' } }] }), path: `${M}.scheme.regex`, says: 'missing argument to repetition operator', fix: 'RE2' },
  { name: 'rewrite uriRegexRewrite match', doc: httpRoute({ rewrite: { uriRegexRewrite: { match: '(?<!a)b', rewrite: '/x' } } }), path: 'spec.http[0].rewrite.uriRegexRewrite.match', says: 'not an RE2 regex', fix: 'RE2' },
  { name: 'CORS allowOrigins regex', doc: httpRoute({ corsPolicy: { allowOrigins: [{ regex: 'https://(?!evil)' }] } }), path: 'spec.http[0].corsPolicy.allowOrigins[0].regex', says: 'not an RE2 regex', fix: 'RE2' },
  { name: 'retryOn typo', doc: httpRoute({ retries: { attempts: 3, retryOn: '5xx,oops' } }), path: 'spec.http[0].retries.retryOn', says: '"oops" is not a retry condition', fix: 'gateway-error' },
  { name: 'retryOn with spaces (Istio does not trim)', doc: httpRoute({ retries: { attempts: 3, retryOn: '5xx, reset' } }), path: 'spec.http[0].retries.retryOn', says: '" reset"', fix: 'without spaces' },
  { name: 'retryOn unknown status code', doc: httpRoute({ retries: { attempts: 3, retryOn: '599' } }), path: 'spec.http[0].retries.retryOn', says: '"599"', fix: 'HTTP status codes' },
  { name: 'attempts 0 with retryOn', doc: httpRoute({ retries: { attempts: 0, retryOn: '5xx' } }), path: 'spec.http[0].retries.attempts', says: 'retries are disabled (attempts is 0)', fix: 'set attempts to 1 or more' },
  { name: 'attempts unset with perTryTimeout', doc: httpRoute({ retries: { perTryTimeout: '2s' } }), path: 'spec.http[0].retries.attempts', says: 'attempts is 0', fix: 'set attempts' },
  { name: 'empty header name in a match', doc: httpRoute({ match: [{ headers: { '': { exact: 'x' } } }] }), path: `${M}.headers[""]`, says: 'the header name is empty', fix: 'header name' },
  { name: 'header name with a space in a match', doc: httpRoute({ match: [{ headers: { 'x y': { exact: 'x' } } }] }), path: `${M}.headers["x y"]`, says: '"x y" is not a valid HTTP header name', fix: 'RFC 7230' },
  { name: 'empty header name in a set operation', doc: httpRoute({ headers: { request: { set: { '': 'v' } } } }), path: 'spec.http[0].headers.request.set[""]', says: 'the header name is empty', fix: 'regular header' },
  { name: 'removing Host', doc: httpRoute({ headers: { request: { remove: ['Host'] } } }), path: 'spec.http[0].headers.request.remove[0]', says: 'Host header cannot be changed', fix: 'rewrite.authority' },
  { name: 'setting a pseudo-header on the response', doc: httpRoute({ headers: { response: { set: { ':status': '200' } } } }), path: 'spec.http[0].headers.response.set[":status"]', says: 'pseudo-header', fix: 'regular header' },
  { name: 'VirtualService host with a scheme', doc: istio('VirtualService', { hosts: ['https://shop.example.com'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.hosts[0]', says: 'a host has no scheme', fix: 'without scheme' },
  { name: 'VirtualService host with a path', doc: istio('VirtualService', { hosts: ['shop.example.com/api'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.hosts[0]', says: 'a host has no path', fix: 'DNS name' },
  { name: 'VirtualService "*" host on the mesh', doc: istio('VirtualService', { hosts: ['*'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.hosts[0]', says: 'not allowed on a VirtualService that applies to the mesh', fix: 'gateways only' },
  { name: 'destination host "*"', doc: istio('VirtualService', { hosts: ['a'], http: [{ route: [{ destination: { host: '*' } }] }] }), path: 'spec.http[0].route[0].destination.host', says: 'cannot be the wildcard host', fix: 'name the service' },
  { name: 'destination subset with a dot', doc: istio('VirtualService', { hosts: ['a'], http: [{ route: [{ destination: { host: 'a', subset: 'v1.2' } }] }] }), path: 'spec.http[0].route[0].destination.subset', says: 'subset name "v1.2" is not a DNS-1123 label', fix: 'no dots' },
  { name: 'destination port 0', doc: istio('VirtualService', { hosts: ['a'], tcp: [{ route: [{ destination: { host: 'a', port: { number: 0 } } }] }] }), path: 'spec.tcp[0].route[0].destination.port.number', says: '0 is not a port number', fix: '1 to 65535' },
  { name: 'gateway reference with two slashes', doc: istio('VirtualService', { hosts: ['a.example.com'], gateways: ['a/b/c'], http: [{ route: [{ destination: { host: 'a' } }] }] }), path: 'spec.gateways[0]', says: 'is not a gateway reference', fix: '<namespace>/<gateway name>' },
  { name: 'redirect code 200', doc: istio('VirtualService', { hosts: ['a'], http: [{ redirect: { uri: '/x', redirectCode: 200 } }] }), path: 'spec.http[0].redirect.redirectCode', says: '200 is not a redirect status code', fix: '3xx' },
  { name: 'CORS method typo', doc: httpRoute({ corsPolicy: { allowMethods: ['GETS'] } }), path: 'spec.http[0].corsPolicy.allowMethods[0]', says: '"GETS" is not an HTTP method', fix: 'GET, HEAD' },
  { name: 'TCP destination subnet', doc: istio('VirtualService', { hosts: ['a'], tcp: [{ match: [{ destinationSubnets: ['10.0.0.0/33'] }], route: [{ destination: { host: 'a' } }] }] }), path: 'spec.tcp[0].match[0].destinationSubnets[0]', says: 'not an IP address or CIDR block', fix: '10.0.0.0/24' },
  { name: 'DestinationRule subset with a dot', doc: istio('DestinationRule', { host: 'a', subsets: [{ name: 'v1.0', labels: { version: 'v1.0' } }] }), path: 'spec.subsets[0].name', says: 'subset name "v1.0" is not a DNS-1123 label', fix: 'no dots' },
  { name: 'DestinationRule duplicate subset', doc: istio('DestinationRule', { host: 'a', subsets: [{ name: 'v1', labels: { v: '1' } }, { name: 'v1', labels: { v: '2' } }] }), path: 'spec.subsets[1].name', says: 'defined twice', fix: 'its own name' },
  { name: 'DestinationRule subset label value with a space', doc: istio('DestinationRule', { host: 'a', subsets: [{ name: 'v1', labels: { version: 'v 1' } }] }), path: 'spec.subsets[0].labels.version', says: 'label value "v 1"', fix: 'at most 63' },
  { name: 'DestinationRule host with a scheme', doc: istio('DestinationRule', { host: 'http://a' }), path: 'spec.host', says: 'a host has no scheme', fix: 'without scheme' },
  { name: 'DestinationRule port-level port', doc: istio('DestinationRule', { host: 'a', trafficPolicy: { portLevelSettings: [{ port: { number: 70000 }, tls: { mode: 'DISABLE' } }] } }), path: 'spec.trafficPolicy.portLevelSettings[0].port.number', says: '70000 is not a port number', fix: '1 to 65535' },
  { name: 'exportTo "*" with a namespace', doc: istio('DestinationRule', { host: 'a', exportTo: ['*', 'shop'] }), path: 'spec.exportTo', says: '"*" cannot be combined', fix: 'use it alone' },
  { name: 'ServiceEntry address not an IP', doc: se({ addresses: ['not-an-ip'] }), path: 'spec.addresses[0]', says: '"not-an-ip" is not an IP address or CIDR block', fix: '10.0.0.0/24' },
  { name: 'ServiceEntry CIDR with DNS resolution', doc: se({ addresses: ['10.0.0.0/24'], resolution: 'DNS' }), path: 'spec.addresses[0]', says: 'only allowed with resolution NONE or STATIC', fix: 'single IP addresses' },
  { name: 'ServiceEntry host with a scheme', doc: istio('ServiceEntry', { hosts: ['https://api.example.com'], ports: [{ number: 443, name: 'https' }] }), path: 'spec.hosts[0]', says: 'a host has no scheme', fix: 'without scheme' },
  { name: 'ServiceEntry host "*"', doc: istio('ServiceEntry', { hosts: ['*'], ports: [{ number: 443, name: 'https' }] }), path: 'spec.hosts[0]', says: 'not allowed in a ServiceEntry', fix: 'wildcard domain' },
  { name: 'ServiceEntry STATIC endpoint that is a host name', doc: se({ resolution: 'STATIC', endpoints: [{ address: 'db1.internal' }] }), path: 'spec.endpoints[0].address', says: 'not an IP address, which resolution STATIC needs', fix: 'resolution DNS' },
  { name: 'ServiceEntry DNS endpoint that is neither IP nor name', doc: se({ resolution: 'DNS', endpoints: [{ address: 'not a host' }] }), path: 'spec.endpoints[0].address', says: 'neither an IP address nor a DNS name', fix: 'db1.example.com' },
  { name: 'ServiceEntry endpoint port not in ports', doc: se({ resolution: 'DNS', endpoints: [{ address: '10.0.0.1', ports: { http: 8080 } }] }), path: 'spec.endpoints[0].ports.http', says: 'no port named "http"', fix: 'spec.ports' },
  { name: 'ServiceEntry duplicate port name', doc: istio('ServiceEntry', { hosts: ['a.example.com'], ports: [{ number: 443, name: 'tls' }, { number: 8443, name: 'tls' }] }), path: 'spec.ports[1].name', says: 'already used', fix: 'its own name' },
  { name: 'ServiceEntry DNS wildcard host without endpoints', doc: istio('ServiceEntry', { hosts: ['*.example.com'], ports: [{ number: 443, name: 'https' }], resolution: 'DNS' }), path: 'spec.hosts[0]', says: 'must be a plain DNS name for resolution DNS', fix: 'add endpoints' },
  { name: 'Gateway name with a dot', doc: gateway([server({})], 'shop.gateway'), path: 'metadata.name', says: 'Istio refuses dots in gateway names', fix: 'shop-gateway' },
  { name: 'Gateway name of 70 characters', doc: gateway([server({})], 'g'.repeat(70)), path: 'metadata.name', says: 'not a DNS-1123 label (it has 70 characters)', fix: 'at most 63' },
  { name: 'Gateway host with a scheme', doc: gateway([server({ hosts: ['https://shop.example.com'] })]), path: 'spec.servers[0].hosts[0]', says: 'a host has no scheme', fix: 'FQDN' },
  { name: 'Gateway short host', doc: gateway([server({ hosts: ['shop'] })]), path: 'spec.servers[0].hosts[0]', says: 'short name "shop" is not allowed', fix: 'fully qualified' },
  { name: 'Gateway partial wildcard', doc: gateway([server({ hosts: ['*shop.example.com'] })]), path: 'spec.servers[0].hosts[0]', says: 'is not a host Istio accepts', fix: '*.example.com' },
  { name: 'Gateway host namespace with upper case and spaces', doc: gateway([server({ hosts: ['Not A Namespace/shop.example.com'] })]), path: 'spec.servers[0].hosts[0]', says: 'is not a namespace', fix: '<namespace>/' },
  { name: 'Gateway duplicate port names', doc: gateway([server({}), server({ port: { number: 8080, name: 'http', protocol: 'HTTP' } })]), path: 'spec.servers[1].port.name', says: 'used by another server', fix: 'its own name' },
  { name: 'Gateway port 0', doc: gateway([server({ port: { number: 0, name: 'http', protocol: 'HTTP' } })]), path: 'spec.servers[0].port.number', says: '0 is not a port number', fix: '1 to 65535' },
  { name: 'Gateway selector wildcard', doc: istio('Gateway', { selector: { istio: '*' }, servers: [server({})] }, 'gw'), path: 'spec.selector.istio', says: 'does not take wildcards', fix: 'exact label values' },
  { name: 'Gateway HTTPS server without TLS settings', doc: gateway([server({ port: { number: 443, name: 'https', protocol: 'HTTPS' } })]), path: 'spec.servers[0].tls', says: 'the HTTPS server has no TLS settings, which Istio refuses', fix: 'credentialName' },
  { name: 'Gateway TLS server (lower case protocol) with tls: null', doc: gateway([server({ port: { number: 443, name: 'tls', protocol: 'tls' }, tls: null })]), path: 'spec.servers[0].tls', says: 'the TLS server has no TLS settings', fix: 'PASSTHROUGH' },
  { name: 'Gateway TCP server with TLS settings', doc: gateway([server({ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, tls: { mode: 'SIMPLE', credentialName: 'c' } })]), path: 'spec.servers[0].tls', says: 'the TCP server has TLS settings, which Istio refuses for a port that is neither HTTPS nor TLS', fix: 'make the port HTTPS or TLS' },
  { name: 'Gateway HTTP server terminating TLS', doc: gateway([server({ tls: { mode: 'SIMPLE', credentialName: 'c' } })]), path: 'spec.servers[0].tls', says: 'the plain-text HTTP server has TLS settings (mode SIMPLE)', fix: 'httpsRedirect: true' },
  { name: 'Gateway HTTP server with a certificate', doc: gateway([server({ tls: { httpsRedirect: true, serverCertificate: '/etc/cert.pem' } })]), path: 'spec.servers[0].tls', says: '(serverCertificate)', fix: 'keep only tls: {httpsRedirect: true}' },
  { name: 'Sidecar egress host without namespace', doc: istio('Sidecar', { egress: [{ hosts: ['api.example.com'] }] }), path: 'spec.egress[0].hosts[0]', says: 'has no namespace part', fix: '<namespace>/<host>' },
];

describe('Istio networking rules (what the validating webhook refuses)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid networking documents pass', () => {
    expectAccepted(istio('VirtualService', {
      hosts: ['orders', 'orders.shop.svc.cluster.local', '*.example.com', '10.0.0.1'],
      gateways: ['mesh', 'istio-system/shop-gateway', 'shop-gateway'],
      http: [{
        match: [{
          uri: { regex: '^/api/v[0-9]+/(orders|users)/.*$' },
          headers: { 'x-user': { exact: 'a' }, ':authority': { prefix: 'a' } },
          withoutHeaders: { 'x-debug': { regex: '*' } },
          queryParams: { v: { regex: '\\d+' } },
          port: 8080,
          sourceLabels: { app: 'web' },
        }],
        route: [{ destination: { host: 'orders', subset: 'v1', port: { number: 8080 } }, weight: 90, headers: { request: { set: { 'x-a': 'b', ':authority': 'x' } } } },
          { destination: { host: 'orders', subset: 'V2' }, weight: 10 }],
        retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,gateway-error,reset-before-request,unavailable,503,retriable-status-codes' },
        corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.example\\.com' }], allowMethods: ['GET', 'POST'], allowHeaders: ['*', 'x-token'] },
        rewrite: { uriRegexRewrite: { match: '^/v1(/.*)$', rewrite: '\\1' } },
        headers: { request: { remove: ['x-internal'] }, response: { add: { 'x-served-by': 'orders' } } },
      }],
    }));
    expectAccepted(istio('DestinationRule', { host: 'orders', subsets: [{ name: 'v1', labels: { version: 'v1' } }], exportTo: ['.', 'istio-system'] }));
    // An empty label value is a value (istioctl's DestinationRuleEmptyTopologyLabels case expects no IST0106 for it).
    expectAccepted(istio('DestinationRule', { host: 'orders', subsets: [{ name: 'any-region', labels: { 'topology.kubernetes.io/region': '' } }] }));
    expectAccepted(se({ addresses: ['10.0.0.0/24', '2001:db8::/32', '192.168.1.7'], resolution: 'STATIC', endpoints: [{ address: '10.0.0.7', ports: { https: 8443 } }, { address: '2001:db8::1' }] }));
    expectAccepted(gateway([server({ hosts: ['shop.example.com', '*.example.com', '*', 'shop/*', './a.example.com', '*/b.example.com'] })]));
    expectAccepted(gateway([
      server({ tls: { httpsRedirect: true } }),
      server({ port: { number: 8080, name: 'http-alt', protocol: 'HTTP2' }, tls: { mode: 'AUTO_PASSTHROUGH' } }),
      server({ port: { number: 443, name: 'https', protocol: 'https' }, tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } }),
      server({ port: { number: 8443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' } }),
      server({ port: { number: 31400, name: 'tcp', protocol: 'TCP' } }),
    ]));
    expectAccepted(istio('Sidecar', { egress: [{ hosts: ['./*', 'istio-system/*', '~/*'] }] }));
  });

  test('attempts 0 alone disables retries and passes', () => {
    expectAccepted(httpRoute({ retries: { attempts: 0 } }));
  });
});
