// Public API of cdk8s-istio: `import { MeshService, VirtualService } from 'cdk8s-istio'`.

// Errors and shared constants
export * from './core/errors';
export { MESH_ENROLLMENT_LABELS } from './core/mesh-labels';

// Traffic
export * from './mesh/mesh-namespace';
export * from './mesh/gateway';
export * from './mesh/destination';
export * from './mesh/destination-rule';
export { ClientTlsMode, LoadBalancer, LoadBalancerAlgorithm } from './mesh/traffic-policy';
export type {
  ClientTls, ConnectionPool, OutlierDetection, PortTrafficPolicy, TrafficPolicy, TrafficPolicyOptions,
} from './mesh/traffic-policy';
export * from './mesh/http-match';
export * from './mesh/virtual-service';
export type { HeaderOperations, HeaderRules } from './mesh/header-rules';
export type { CorsPolicy } from './mesh/cors-policy';
export { RetryOn } from './core/retry-on';
export * from './mesh/service-entry';
export * from './mesh/ingress-node-port';

// Workloads
export * from './workload/mesh-service';
export { PortProtocol, protocolOfPortName } from './workload/service-port';
export type { MeshServicePort } from './workload/service-port';
export * from './workload/workload-version';
export { DEFAULT_REQUESTS } from './workload/production-defaults';
export * from './workload/service-account';
export { WorkloadRef } from './workload/workload-ref';
export { EnvValue } from './workload/env-value';
export type { EnvValueOptions } from './workload/env-value';
export * from './workload/probe';
export * from './workload/volume';

// Security
export * from './security/caller';
export type { WorkloadTarget } from './security/workload-selector';
export * from './security/peer-authentication';
export * from './security/authorization-policy';
export * from './security/request-authentication';

// Synthesis and analysis
export * from './synth/write-manifests';
export { SynthesisError, synthesize } from './synth/pipeline';
export type { Synthesis, SynthesizeOptions } from './synth/pipeline';
export { AppAnalysis, suppressAnalysis } from './synth/app-analysis';
export type { ChartSet } from './synth/app-analysis';
export * from './synth/validation-plugin';
export * from './analysis/messages';
export { SUPPRESS_ANNOTATION, analyze } from './analysis/analyze';
export type { AnalyzeOptions } from './analysis/analyze';
export type { Analyzer, Report } from './analysis/analyzer';
export { AnalyzerError } from './analysis/analyzer';
export { msg } from './analysis/message-constructors';
export type { Message, MissingReference, MissingServiceAccount, UnreachableBecause } from './analysis/message-constructors';
export { KINDS } from './analysis/group-kinds';
export type { GroupKind } from './analysis/group-kinds';
export { ANALYZERS } from './analysis/analyzers';
export { MeshIndex, hostMatches, selects, serviceVisibleFrom, visibleFrom } from './analysis/mesh-index';
export type { AnalysisInput, Doc, Resource, TypedResource, Workload } from './analysis/mesh-index';
export * from './analysis/schema';
export * from './analysis/access-matrix';
export { podSecurityViolations } from './admission/pod-security-standards';
export type { PodSecurityViolation } from './admission/pod-security-standards';

// Safe apply order of a change (cdk8s-istio plan)
export * from './plan/plan';
export * from './plan/gitops';

// Route simulation: where a request goes (simulate, routeOf/routeTo for tests, getyourguide test cases)
export * from './simulation/types';
export { RouteSimulator } from './simulation/simulate';
export * from './simulation/route-of';
export * from './simulation/test-cases';

// The picture of a mesh (cdk8s-istio graph)
export * from './graph/model';
export { layoutMesh, nodeHeight, SIZES } from './graph/layout';
export type { Band, Box, MeshLayout } from './graph/layout';
export * from './graph/render';

// Telemetry, rate limits, egress and Sidecars (issue 15)
export * from './mesh/telemetry';
export * from './mesh/rate-limit-local';
export * from './mesh/rate-limit-global';
export * from './mesh/egress-gateway';
export * from './mesh/sidecar';
export type { RateLimitTarget } from './mesh/rate-limit-target';

// Ambient mode (issue 14): waypoints; ambient enrollment is MeshNamespace's, and policies attach to waypoints by themselves
export * from './mesh/waypoint';
export type { IWaypoint } from './core/ambient';

// Gateway API rendering: the routing-API choice (classic or Gateway API), ReferenceGrant
export * from './gateway-api';

// Install as code (issue 15): the IstioOperator file for `istioctl install -f`, and Helm values files
export * from './install/profile';
export { GatewayServiceType, defaultGatewayLabels } from './install/gateway-component';
export type {
  ComponentResources, GatewayAutoscaling, GatewayComponentProps, GatewayDirection, GatewayServicePort, ResolvedGateway, ResolvedServicePort,
} from './install/gateway-component';
export * from './install/mesh-config';
export * from './install/mesh-install';
export * from './install/write-install';

// Observability addons (issue 15): Prometheus, Grafana with generated dashboards, Jaeger, Kiali, Loki
export * from './addons/observability-addons';
export * from './addons/prometheus';
export * from './addons/scrape-jobs';
export * from './addons/grafana';
export * from './addons/dashboards';
export * from './addons/jaeger';
export * from './addons/kiali';
export * from './addons/loki';

// Route simulation of Gateway API HTTPRoutes (the Gateway API rendering's counterpart of simulate)
export * from './simulation/http-routes';
