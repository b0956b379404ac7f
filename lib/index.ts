// Public API of cdk8s-istio: `import { MeshService, VirtualService } from 'cdk8s-istio'`.
export * from './core/errors';
export * from './mesh/mesh-namespace';
export * from './mesh/gateway';
export * from './mesh/destination';
export * from './mesh/destination-rule';
export * from './mesh/traffic-policy';
export * from './mesh/http-match';
export * from './mesh/virtual-service';
export * from './mesh/service-entry';
export * from './workload/mesh-service';
export * from './workload/service-port';
export * from './workload/workload-version';
export * from './workload/env-value';
export * from './workload/probe';
export * from './workload/volume';
export * from './synth/write-manifests';
