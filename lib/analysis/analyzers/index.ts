import { Analyzer } from '../analyzer';
import { applicationUid } from './application-uid';
import { conflictingGateways } from './conflicting-gateways';
import { conflictingMeshGatewayHosts } from './conflicting-mesh-gateway-hosts';
import { destinationHostNotFound } from './destination-host-not-found';
import { destinationPortNotFound } from './destination-port-not-found';
import { destinationPortRequired } from './destination-port-required';
import { destinationSubsetNotFound } from './destination-subset-not-found';
import { gatewayDuplicateCertificate } from './gateway-duplicate-certificate';
import { gatewayNotBound } from './gateway-not-bound';
import { gatewayNotFound } from './gateway-not-found';
import { mtlsConflict } from './mtls-conflict';
import { namespaceMultipleInjectionLabels } from './namespace-multiple-injection-labels';
import { namespaceNotInjected } from './namespace-not-injected';
import { portNameConvention } from './port-name-convention';
import { principalServiceAccount } from './principal-service-account';
import { retriesExceedRouteTimeout } from './retries-exceed-route-timeout';
import { schemaValidation } from './schema-validation';
import { serverCertificateVerification } from './server-certificate-verification';
import { singleDestinationWeight } from './single-destination-weight';
import { subsetSelectsNoPods } from './subset-selects-no-pods';
import { telemetryWithoutSelector } from './telemetry-without-selector';
import { unknownDestinationRuleHost } from './unknown-destination-rule-host';
import { virtualServiceHostNotInGateway } from './virtual-service-host-not-in-gateway';
import { virtualServiceRuleOrder } from './virtual-service-rule-order';

/** Every analyzer, in code order. */
export const ANALYZERS: readonly Analyzer[] = [
  gatewayNotFound, destinationHostNotFound, destinationSubsetNotFound, destinationPortNotFound,
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
  principalServiceAccount,
  mtlsConflict,
  singleDestinationWeight,
  gatewayNotBound,
  retriesExceedRouteTimeout,
];

export {
  applicationUid, conflictingGateways, conflictingMeshGatewayHosts, destinationHostNotFound, destinationPortNotFound,
  destinationPortRequired, destinationSubsetNotFound, gatewayDuplicateCertificate, gatewayNotBound, gatewayNotFound, mtlsConflict,
  namespaceMultipleInjectionLabels, namespaceNotInjected, portNameConvention, principalServiceAccount, retriesExceedRouteTimeout,
  schemaValidation, serverCertificateVerification, singleDestinationWeight, subsetSelectsNoPods, telemetryWithoutSelector,
  unknownDestinationRuleHost, virtualServiceHostNotInGateway, virtualServiceRuleOrder,
};
