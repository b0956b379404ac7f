import { Analyzer } from '../analyzer';
import { allBackendWeightsZero } from './all-backend-weights-zero';
import { annotationMaturity } from './annotation-maturity';
import { annotationPlacement } from './annotation-placement';
import { annotationValues } from './annotation-values';
import { applicationUid } from './application-uid';
import { authorizationMethods } from './authorization-methods';
import { conflictingGateways } from './conflicting-gateways';
import { conflictingMeshGatewayHosts } from './conflicting-mesh-gateway-hosts';
import { deploymentServices } from './deployment-services';
import { deprecatedFields } from './deprecated-fields';
import { destinationHostNotFound } from './destination-host-not-found';
import { destinationPortNotFound } from './destination-port-not-found';
import { destinationPortRequired } from './destination-port-required';
import { destinationRuleHostNotInRegistry } from './destination-rule-host-not-in-registry';
import { destinationSubsetNotFound } from './destination-subset-not-found';
import { duplicateDestinationRuleSubsets } from './duplicate-destination-rule-subsets';
import { envoyFilterOperations } from './envoy-filter-operations';
import { envoyFilterRelativeOperations } from './envoy-filter-relative-operations';
import { externalNamePortName } from './external-name-port-name';
import { gatewayApiDuplicates } from './gateway-api-duplicates';
import { gatewayDeniesAll } from './gateway-denies-all';
import { gatewayDeploymentNames } from './gateway-deployment-names';
import { gatewayDuplicateCertificate } from './gateway-duplicate-certificate';
import { gatewayHostPortDuplicates } from './gateway-host-port-duplicates';
import { gatewayNotBound } from './gateway-not-bound';
import { gatewayNotFound } from './gateway-not-found';
import { gatewayPortNotOnService } from './gateway-port-not-on-service';
import { gatewayReferenceNomenclature } from './gateway-reference-nomenclature';
import { gatewaySelectorNoWorkload } from './gateway-selector-no-workload';
import { imageAuto } from './image-auto';
import { ineffectivePolicy } from './ineffective-policy';
import { ineffectiveSelector } from './ineffective-selector';
import { ingressRouteRules } from './ingress-route-rules';
import { internalGatewayReference } from './internal-gateway-reference';
import { jwtClaimRouting } from './jwt-claim-routing';
import { listenerSetConflicts } from './listener-set-conflicts';
import { meshRoutesBothApis } from './mesh-routes-both-apis';
import { mtlsConflict } from './mtls-conflict';
import { mtlsOnlyFieldsWithoutStrict } from './mtls-only-fields';
import { namespaceMultipleInjectionLabels } from './namespace-multiple-injection-labels';
import { namespaceNotInjected } from './namespace-not-injected';
import { noMatchingWorkloads } from './no-matching-workloads';
import { peerAuthenticationConflicts } from './peer-authentication-conflicts';
import { portNameConvention } from './port-name-convention';
import { principalServiceAccount } from './principal-service-account';
import { repeatedRouteDestination } from './repeated-route-destination';
import { retriesExceedRouteTimeout } from './retries-exceed-route-timeout';
import { routeBackendService } from './route-backend-service';
import { routeDestinationRefusesCaller } from './route-destination-refuses-caller';
import { routeParentGateway } from './route-parent-gateway';
import { routeRuleNames } from './route-rule-names';
import { schemaValidation } from './schema-validation';
import { selectorNoWorkload } from './selector-no-workload';
import { selectorReferences } from './selector-references';
import { serverCertificateVerification } from './server-certificate-verification';
import { serviceEntryAddresses } from './service-entry-addresses';
import { servicePortNotExposed } from './service-port-not-exposed';
import { servicePortProtocol } from './service-port-protocol';
import { shadowedRouteRules } from './shadowed-route-rules';
import { sidecarSelectors } from './sidecar-selectors';
import { singleDestinationWeight } from './single-destination-weight';
import { subsetLabels } from './subset-labels';
import { subsetSelectsNoPods } from './subset-selects-no-pods';
import { telemetryProviders } from './telemetry-providers';
import { telemetrySelectors } from './telemetry-selectors';
import { telemetryWithoutSelector } from './telemetry-without-selector';
import { unknownDestinationRuleHost } from './unknown-destination-rule-host';
import { virtualServiceHostNotInGateway } from './virtual-service-host-not-in-gateway';
import { virtualServiceRuleOrder } from './virtual-service-rule-order';
import { virtualServiceSameHost } from './virtual-service-same-host';
import { workloadNotCovered } from './workload-not-covered';

/** Every analyzer, in code order. */
export const ANALYZERS: readonly Analyzer[] = [
  deprecatedFields,
  gatewayNotFound, destinationHostNotFound, destinationSubsetNotFound, destinationPortNotFound, selectorReferences,
  namespaceNotInjected,
  schemaValidation,
  annotationPlacement,
  conflictingMeshGatewayHosts,
  sidecarSelectors,
  destinationPortRequired,
  deploymentServices,
  portNameConvention,
  namespaceMultipleInjectionLabels,
  annotationValues,
  noMatchingWorkloads,
  serverCertificateVerification,
  virtualServiceRuleOrder,
  virtualServiceHostNotInGateway,
  serviceEntryAddresses,
  annotationMaturity,
  gatewayDuplicateCertificate,
  ingressRouteRules,
  applicationUid,
  conflictingGateways,
  imageAuto,
  jwtClaimRouting,
  externalNamePortName,
  envoyFilterRelativeOperations,
  envoyFilterOperations,
  telemetryProviders,
  telemetrySelectors,
  telemetryWithoutSelector,
  gatewayPortNotOnService,
  internalGatewayReference,
  ineffectiveSelector,
  ineffectivePolicy,
  subsetSelectsNoPods,
  unknownDestinationRuleHost,
  selectorNoWorkload,
  authorizationMethods,
  mtlsOnlyFieldsWithoutStrict,
  principalServiceAccount,
  duplicateDestinationRuleSubsets,
  destinationRuleHostNotInRegistry,
  mtlsConflict,
  subsetLabels,
  gatewayHostPortDuplicates,
  gatewaySelectorNoWorkload,
  servicePortProtocol,
  servicePortNotExposed,
  singleDestinationWeight,
  repeatedRouteDestination,
  virtualServiceSameHost,
  gatewayReferenceNomenclature,
  workloadNotCovered,
  routeParentGateway,
  routeBackendService,
  gatewayApiDuplicates,
  listenerSetConflicts,
  gatewayNotBound,
  retriesExceedRouteTimeout,
  routeRuleNames,
  peerAuthenticationConflicts,
  gatewayDeploymentNames,
  allBackendWeightsZero,
  meshRoutesBothApis,
  shadowedRouteRules,
  gatewayDeniesAll,
  routeDestinationRefusesCaller,
];

export {
  applicationUid, conflictingGateways, conflictingMeshGatewayHosts, destinationHostNotFound, destinationPortNotFound,
  destinationPortRequired, destinationSubsetNotFound, gatewayDuplicateCertificate, gatewayNotBound, gatewayNotFound, mtlsConflict,
  namespaceMultipleInjectionLabels, namespaceNotInjected, portNameConvention, principalServiceAccount, retriesExceedRouteTimeout,
  schemaValidation, selectorReferences, serverCertificateVerification, singleDestinationWeight, subsetSelectsNoPods,
  telemetryWithoutSelector, unknownDestinationRuleHost, virtualServiceHostNotInGateway, virtualServiceRuleOrder,
  // istioctl's further offline codes
  annotationMaturity, annotationPlacement, annotationValues, deploymentServices, deprecatedFields, envoyFilterOperations,
  envoyFilterRelativeOperations, externalNamePortName, gatewayPortNotOnService, imageAuto, ineffectivePolicy, ineffectiveSelector,
  ingressRouteRules, internalGatewayReference, jwtClaimRouting, noMatchingWorkloads, serviceEntryAddresses, sidecarSelectors,
  telemetryProviders, telemetrySelectors,
  // Kiali's validations
  authorizationMethods, destinationRuleHostNotInRegistry, duplicateDestinationRuleSubsets, gatewayHostPortDuplicates,
  gatewayReferenceNomenclature, gatewaySelectorNoWorkload, mtlsOnlyFieldsWithoutStrict, repeatedRouteDestination, selectorNoWorkload,
  servicePortNotExposed, servicePortProtocol, subsetLabels, virtualServiceSameHost, workloadNotCovered,
  // Kiali's Gateway API validations
  gatewayApiDuplicates, listenerSetConflicts, routeBackendService, routeParentGateway,
  // this project's own codes (CDK0002, CDK0003 above)
  allBackendWeightsZero, gatewayDeploymentNames, meshRoutesBothApis, peerAuthenticationConflicts, routeDestinationRefusesCaller,
  routeRuleNames, shadowedRouteRules,
};
