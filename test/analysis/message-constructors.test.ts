import * as fs from 'fs';
import * as path from 'path';
import { msg } from '../../lib/analysis/message-constructors';
import { MESSAGE_TYPES, MessageCode } from '../../lib/analysis/messages';

const CODES = Object.keys(MESSAGE_TYPES) as MessageCode[];
const ANALYZERS_DIR = path.join(__dirname, '..', '..', 'lib', 'analysis', 'analyzers');

/** A message of each code, made by its constructor. */
const SAMPLES = [
  msg.referencedResourceNotFound({ what: 'gateway', gateway: 'gw' }), msg.namespaceNotInjected('ns'), msg.schemaValidationError('spec', 'bad'),
  msg.conflictingMeshGatewayVirtualServiceHosts(['a/b'], 'h'), msg.virtualServiceDestinationPortSelectorRequired('h', [1, 2]),
  msg.portNameIsNotUnderNamingConvention('web', 80, 80), msg.namespaceMultipleInjectionLabels(['a', 'b']),
  msg.noServerCertificateVerificationDestinationLevel('r', 'ns', 'SIMPLE', 'h'),
  msg.noServerCertificateVerificationPortLevel('r', 'ns', 'SIMPLE', 'h', 1),
  msg.virtualServiceUnreachableRule('#1', 'all matches used by prior rules'), msg.virtualServiceIneffectiveMatch('#1', '#0', '#0'),
  msg.virtualServiceHostNotFoundInGateway(['h'], 'a/b', 'c/d'),
  msg.gatewayDuplicateCertificate(['a/b']), msg.invalidApplicationUID(), msg.conflictingGateways(['a/b'], 's', '80', ['h']),
  msg.multipleTelemetriesWithoutWorkloadSelectors(['t'], 'ns'), msg.destinationRuleSubsetNotSelectPods('v1', 'a/b', {}),
  msg.unknownDestinationRuleHost('h'), msg.serviceAccountNotFoundForPrincipal({ entry: 'sa', namespace: 'ns', serviceAccount: 'sa' }),
  msg.destinationRuleDisablesMtlsRequiredByPeerAuthentication('h', 'a/b'), msg.singleDestinationWeightBelow100(50),
  msg.noSchemaForKind('example.com/v1', 'Widget'), msg.gatewayNotBound('shop/gw'),
  msg.retriesExceedRouteTimeout({ attempts: 1, perTryTimeout: '3s', timeout: '5s', neededMs: 6000, fittingAttempts: 0, fittingPerTryMs: 2500 }),
  msg.routeRuleNameNotUnique('a', 'HTTPRoute', [0, 1]), msg.conflictingPeerAuthentications(['a', 'b'], 'the whole mesh'),
  msg.gatewayDeploymentNameTaken('gw-istio', ['Service']), msg.allBackendWeightsZero(1),
  msg.meshRoutedByBothApis('reviews.shop.svc.cluster.local', 'HTTPRoute', ['shop/reviews']),
  msg.routeRuleShadowed('HTTPRoute', 0, 'shop/a', 0, 'Service shop/reviews'),
  msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'allow-nothing', ['ns/allow-nothing']),
  msg.routeDestinationRefusesCaller('shop/web', ['istio-system/gw']),
  msg.kindNotServed('v1 has no kind Servce', 'write Service'),
  // Kiali's validations
  msg.selectorMatchesNoWorkload('Sidecar', { app: 'a' }), msg.invalidAuthorizationMethod('get', 'case', ['GET']),
  msg.fieldRequiresMtls('source.principals', 'the pods of namespace ns', 'PERMISSIVE', undefined),
  msg.multipleDestinationRulesForHostSubset('h', [{ rule: 'a/b', shared: 'all' }]), msg.destinationRuleHostNotInRegistry('h'),
  msg.subsetLabelsNotFound('v2', { version: 'v2' }, 'h'), msg.subsetWithoutLabels('all'), msg.multipleGatewaysForHostPort('h', '80', ['a/b']),
  msg.gatewaySelectorMatchesNoWorkload('app=a'), msg.portNameNotProtocolForm('web', 80), msg.portAppProtocolNotProtocolForm('custom', 80),
  msg.servicePortNotExposedByDeployment(80, 'http', ['Deployment d']), msg.repeatedRouteDestination('h', 'v1', ['spec.http[0].route[1]']),
  msg.multipleVirtualServicesForHost(['h'], ['a/b']), msg.gatewayReferenceNomenclature('gw.ns', 'ns/gw'),
  msg.workloadNotCoveredByAuthorizationPolicy('ns', 'istio-system', { app: 'a' }),
  // Kiali's Gateway API validations
  msg.routeGatewayNotFound('ns/gw', { problem: 'missing' }), msg.routeServiceNotFound({ problem: 'missing', service: 'ns/s' }),
  msg.multipleK8sGatewaysForHostPort('h', 80, 'HTTP', ['a/b']), msg.multipleK8sGatewaysForAddress('IPAddress', '10.0.0.1', ['a/b']),
  msg.listenerNotUnique({ name: 'l', port: 80, protocol: 'HTTP' }, ["the Gateway's listener http"], 'a/b'),
  // istioctl's further offline codes
  msg.deprecated({ field: 'a', replacement: 'b' }), msg.misplacedAnnotation('a', ['Pod']), msg.unknownAnnotation('a'),
  msg.conflictingSidecarWorkloadSelectors(['a', 'b'], 'ns', 'w'), msg.multipleSidecarsWithoutWorkloadSelectors(['a', 'b'], 'ns'),
  msg.deploymentAssociatedToMultipleServices('d', 80, ['a/b']), msg.invalidAnnotation('a', 'bad'), msg.noMatchingWorkloadsFound('app=a'),
  msg.serviceEntryAddressesRequired(5432), msg.deprecatedAnnotation('a'), msg.alphaAnnotation('a'),
  msg.deploymentConflictingPorts('d', ['a/b'], '8080', [80, 90]), msg.ingressRouteRulesNotAffected('a/b', 'a/c'),
  msg.imageAutoWithoutInjectionWarning('Deployment', 'd'), msg.imageAutoWithoutInjectionError('Pod', 'p'),
  msg.jwtClaimBasedRoutingWithoutRequestAuthN('k', 'a/gw', 'p'), msg.externalNameServiceTypeInvalidPortName('tcp'),
  msg.envoyFilterUsesRelativeOperation('INSERT_BEFORE'), msg.envoyFilterUsesReplaceOperationIncorrectly('CLUSTER'),
  msg.envoyFilterUsesAddOperationIncorrectly('HTTP_ROUTE'), msg.envoyFilterUsesRemoveOperationIncorrectly('HTTP_ROUTE'),
  msg.envoyFilterUsesRelativeOperationWithProxyVersion('REPLACE'), msg.invalidTelemetryProvider('t', 'ns'),
  msg.conflictingTelemetryWorkloadSelectors(['a', 'b'], 'ns', 'w'), msg.gatewayPortNotDefinedOnService(8081, 'istio=ingressgateway'),
  msg.referencedInternalGateway('a/b', 'gw'), msg.ineffectiveSelector('gw'), msg.ineffectivePolicy('namespace ns is in ambient mode'),
];

describe('msg', () => {
  test('has exactly one constructor per code, named after the code\'s name', () => {
    const expected = CODES.map(c => MESSAGE_TYPES[c].name.replace(/^./, ch => ch.toLowerCase())).sort();
    expect(Object.keys(msg).sort()).toEqual(expected);
    expect(SAMPLES.map(m => m.code).sort()).toEqual([...CODES].sort());
  });

  test('IST0101 texts name what was not found', () => {
    expect(msg.referencedResourceNotFound({ what: 'host', host: 'pay' }).text)
      .toBe('Referenced host not found: "pay". Deploy the Service, add a ServiceEntry for it, or fix the host.');
    expect(msg.referencedResourceNotFound({ what: 'host:port', host: 'pay', port: 81, exposed: [80, 90] }).text)
      .toBe('Referenced host:port not found: "pay:81" (it exposes 80, 90). Use one of its ports.');
    expect(msg.referencedResourceNotFound({ what: 'host+subset', host: 'pay', subset: 'v2', rules: [] }).text)
      .toBe('Referenced host+subset in destinationrule not found: "pay+v2". Add a DestinationRule for pay defining subset v2.');
    expect(msg.referencedResourceNotFound({ what: 'host+subset', host: 'pay', subset: 'v2', rules: ['shop/pay'] }).text)
      .toBe('Referenced host+subset in destinationrule not found: "pay+v2". Add subset v2 to DestinationRule shop/pay.');
  });

  test('KIA1301 names the root namespace as well only when the workload is elsewhere', () => {
    expect(msg.workloadNotCoveredByAuthorizationPolicy('shop', 'istio-system', { app: 'a' }).text)
      .toContain('no AuthorizationPolicy in namespace shop or istio-system applies');
    expect(msg.workloadNotCoveredByAuthorizationPolicy('istio-system', 'istio-system', { app: 'a' }).text)
      .toContain('no AuthorizationPolicy in namespace istio-system applies');
  });

  test('CDK0002 names the Gateway and the fix', () => {
    expect(msg.gatewayNotBound('shop/gw').text).toBe('Gateway shop/gw is not bound by any VirtualService, so it routes no traffic. '
      + "Bind it from a VirtualService's gateways, or remove it.");
  });

  test('CDK0012 names the refused ServiceAccounts (three, then how many more), in the singular or plural', () => {
    expect(msg.routeDestinationRefusesCaller('shop/search', ['shop/web']).text).toBe('This route sends the requests of ServiceAccount '
      + 'shop/web to shop/search, whose AuthorizationPolicies refuse every request from it, so they are answered 403 (RBAC: access '
      + 'denied). Allow the caller on shop/search (allowFrom, or an ALLOW rule naming its principal), or route elsewhere.');
    expect(msg.routeDestinationRefusesCaller('shop/search', ['shop/a', 'shop/b', 'shop/c', 'shop/d', 'shop/e']).text)
      .toContain('ServiceAccounts shop/a, shop/b, shop/c and 2 more to shop/search, whose AuthorizationPolicies refuse every request from them');
  });

  test('CDK0010 says which policies refuse the requests, in the singular or plural', () => {
    expect(msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'allow-nothing', ['shop/allow-nothing']).text)
      .toContain('and the only ALLOW policy applying to it (shop/allow-nothing) has no rule, so');
    expect(msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'allow-nothing', ['shop/a', 'istio-system/b']).text)
      .toContain('the only ALLOW policies applying to it (shop/a, istio-system/b) have no rule');
    expect(msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'deny', ['shop/deny']).text)
      .toContain('the DENY policy shop/deny has a rule matching every request there');
    expect(msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'deny', ['shop/a', 'shop/b']).text)
      .toContain('the DENY policies shop/a, shop/b have rules matching every request there');
    expect(msg.gatewayDeniesAllRequests('gw', 'gw-istio', 'deny', ['shop/a']).text)
      .toContain('or selecting gateway.networking.k8s.io/gateway-name: gw, as');
  });

  test('analyzers write no message text of their own: every report goes through msg', () => {
    for (const file of fs.readdirSync(ANALYZERS_DIR).filter(f => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(ANALYZERS_DIR, file), 'utf8');
      expect([file, /report\(\s*'/.test(source)]).toEqual([file, false]);
      const importsMsg = /import \{[^}]*\bmsg\b[^}]*\} from '\.\.\/message-constructors';/.test(source);
      if (/report\(/.test(source)) expect([file, importsMsg]).toEqual([file, true]);
    }
  });
});
