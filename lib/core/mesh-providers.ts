import { IConstruct } from 'constructs';

/** The part of a Telemetry a provider is named in, and the kind of provider it must be. */
export type TelemetryProviderKind = 'tracing' | 'accessLogging' | 'metrics';

/** What an extension provider of the mesh config serves: a Telemetry kind, or `authorization` (CUSTOM AuthorizationPolicies). */
export type ExtensionProviderKind = TelemetryProviderKind | 'authorization';

/**
 * What defines the mesh's extension providers (`meshConfig.extensionProviders`): an Istio install
 * construct (`MeshInstall`). A Telemetry checks the providers it names against it, and a CUSTOM
 * AuthorizationPolicy its external authorizer.
 */
export interface IMeshProviders extends IConstruct {
  /** Whether a resource may name the provider `name` (for `kind`, when given): built in, or defined by the mesh config. */
  hasProvider(name: string, kind?: ExtensionProviderKind): boolean;
}

/** Whether a construct defines extension providers ({@link IMeshProviders}). */
export function isMeshProviders(x: IConstruct): x is IMeshProviders {
  return typeof (x as Partial<IMeshProviders>).hasProvider === 'function';
}
