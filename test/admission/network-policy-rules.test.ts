import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

/** A NetworkPolicy of the api pods with one ingress rule made of `rule`. */
function policy(rule: Json, spec: Json = {}): Json {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [rule], ...spec },
  };
}

const failing: FailingCase[] = [
  { name: 'endPort below port', doc: policy({ ports: [{ port: 8080, endPort: 8000 }] }), path: 'spec.ingress[0].ports[0].endPort', says: 'endPort 8000 is below port 8080', fix: 'an endPort of 8080 or more' },
  { name: 'endPort without port', doc: policy({ ports: [{ endPort: 9000 }] }), path: 'spec.ingress[0].ports[0].endPort', says: 'endPort is set without a port', fix: 'first port number' },
  { name: 'endPort beside a named port', doc: policy({ ports: [{ port: 'http', endPort: 9000 }] }), path: 'spec.ingress[0].ports[0].endPort', says: 'endPort is set beside a named port', fix: 'first port number' },
  { name: 'a port name too long', doc: policy({ ports: [{ port: 'http-metrics-port' }] }), path: 'spec.ingress[0].ports[0].port', says: 'is neither a port number nor a port name', fix: 'at most 15' },
  { name: 'port 0', doc: policy({ ports: [{ port: 0 }] }), path: 'spec.ingress[0].ports[0].port', says: '0 is not a port number', fix: '1 to 65535' },
  { name: 'an empty peer', doc: policy({ from: [{}] }), path: 'spec.ingress[0].from[0]', says: 'the peer names no peer', fix: 'ipBlock' },
  { name: 'an ipBlock beside a selector', doc: policy({ from: [{ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }] }), path: 'spec.ingress[0].from[0].ipBlock', says: 'sets ipBlock beside podSelector', fix: 'a peer of its own' },
  { name: 'a cidr that is an address', doc: policy({ from: [{ ipBlock: { cidr: '10.1.2.3' } }] }), path: 'spec.ingress[0].from[0].ipBlock.cidr', says: '"10.1.2.3" is not a CIDR block', fix: '"10.0.0.0/16"' },
  { name: 'an exception outside the block', doc: policy({ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }), path: 'spec.ingress[0].from[0].ipBlock.except[0]', says: '10.1.0.0/24 is not inside 10.0.0.0/16', fix: 'widen cidr' },
  { name: 'an exception as wide as the block', doc: policy({ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] } }] }), path: 'spec.ingress[0].from[0].ipBlock.except[0]', says: 'a smaller block within it', fix: 'within 10.0.0.0/16' },
  { name: 'an IPv6 exception of an IPv4 block', doc: policy({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['2001:db8::/64'] } }] }), path: 'spec.ingress[0].from[0].ipBlock.except[0]', says: 'is not inside 10.0.0.0/8', fix: 'widen cidr' },
  { name: 'a malformed selector in an egress peer', doc: policy({}, { policyTypes: ['Egress'], ingress: undefined, egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } }] }] }), path: 'spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values', says: 'the In operator needs at least one value', fix: 'list the label values' },
];

describe('NetworkPolicy rules (the API server\'s NetworkPolicy validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid policies pass', () => {
    expectAccepted(policy({
      from: [{ namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: { matchLabels: { app: 'web' } } },
        { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.0/24'] } }, { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }],
      ports: [{ port: 8080 }, { port: 'grpc' }, { protocol: 'TCP', port: 32000, endPort: 32768 }],
    }));
    expectAccepted(policy({}, { ingress: [] })); // deny all ingress
  });
});
