import { Analyzer } from '../analyzer';
import { applicationUid } from './application-uid';
import { authorizationMethods } from './authorization-methods';
import { conflictingGateways } from './conflicting-gateways';
import { conflictingMeshGatewayHosts } from './conflicting-mesh-gateway-hosts';
import { destinationHostNotFound } from './destination-host-not-found';
import { destinationPortNotFound } from './destination-port-not-found';
import { destinationPortRequired } from './destination-port-required';
import { destinationRuleHostNotInRegistry } from './destination-rule-host-not-in-registry';
import { destinationSubsetNotFound } from './destination-subset-not-found';
import { duplicateDestinationRuleSubsets } from './duplicate-destination-rule-subsets';
import { gatewayDuplicateCertificate } from './gateway-duplicate-certificate';
import { gatewayHostPortDuplicates } from './gateway-host-port-duplicates';
import { gatewayNotBound } from './gateway-not-bound';
import { gatewayNotFound } from './gateway-not-found';
import { gatewayReferenceNomenclature } from './gateway-reference-nomenclature';
import { gatewaySelectorNoWorkload } from './gateway-selector-no-workload';
import { mtlsConflict } from './mtls-conflict';
import { mtlsOnlyFieldsWithoutStrict } from './mtls-only-fields';
import { namespaceMultipleInjectionLabels } from './namespace-multiple-injection-labels';
import { namespaceNotInjected } from './namespace-not-injected';
import { portNameConvention } from './port-name-convention';
import { principalServiceAccount } from './principal-service-account';
import { repeatedRouteDestination } from './repeated-route-destination';
import { retriesExceedRouteTimeout } from './retries-exceed-route-timeout';
import { schemaValidation } from './schema-validation';
import { selectorNoWorkload } from './selector-no-workload';
import { selectorReferences } from './selector-references';
import { serverCertificateVerification } from './server-certificate-verification';
import { servicePortNotExposed } from './service-port-not-exposed';
import { servicePortProtocol } from './service-port-protocol';
import { singleDestinationWeight } from './single-destination-weight';
import { subsetLabels } from './subset-labels';
import { subsetSelectsNoPods } from './subset-selects-no-pods';
import { telemetryWithoutSelector } from './telemetry-without-selector';
import { unknownDestinationRuleHost } from './unknown-destination-rule-host';
import { virtualServiceHostNotInGateway } from './virtual-service-host-not-in-gateway';
import { virtualServiceRuleOrder } from './virtual-service-rule-order';
import { virtualServiceSameHost } from './virtual-service-same-host';
import { workloadNotCovered } from './workload-not-covered';

/** Every analyzer, in code order. */
export const ANALYZERS: readonly Analyzer[] = [
  gatewayNotFound, destinationHostNotFound, destinationSubsetNotFound, destinationPortNotFound, selectorReferences,
  namespaceNotInjected,
  schemaValidation,
  conflictingMeshGatewayHosts,
  destinationPortRequired,
  portNameConvention,
  namespaceMultipleInjectionLabels,
  serverCertificateVerification,
  virtualServiceRuleOrder,
  virtualServiceHostNotInGateway,
  gatewayDuplicateCertificate,
  applicationUid,
  conflictingGateways,
  telemetryWithoutSelector,
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
  gatewayNotBound,
  retriesExceedRouteTimeout,
];

export {
  applicationUid, conflictingGateways, conflictingMeshGatewayHosts, destinationHostNotFound, destinationPortNotFound,
  destinationPortRequired, destinationSubsetNotFound, gatewayDuplicateCertificate, gatewayNotBound, gatewayNotFound, mtlsConflict,
  namespaceMultipleInjectionLabels, namespaceNotInjected, portNameConvention, principalServiceAccount, retriesExceedRouteTimeout,
  schemaValidation, selectorReferences, serverCertificateVerification, singleDestinationWeight, subsetSelectsNoPods,
  telemetryWithoutSelector, unknownDestinationRuleHost, virtualServiceHostNotInGateway, virtualServiceRuleOrder,
  // Kiali's validations
  authorizationMethods, destinationRuleHostNotInRegistry, duplicateDestinationRuleSubsets, gatewayHostPortDuplicates,
  gatewayReferenceNomenclature, gatewaySelectorNoWorkload, mtlsOnlyFieldsWithoutStrict, repeatedRouteDestination, selectorNoWorkload,
  servicePortNotExposed, servicePortProtocol, subsetLabels, virtualServiceSameHost, workloadNotCovered,
};
