import { IConstruct } from 'constructs';
import { checkMember } from '../core/check';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { checkDnsSubdomain, checkHost } from '../core/names';
import { BUILT_IN_TELEMETRY_PROVIDERS, ExtensionProviderKind } from '../mesh/telemetry';

/** How Envoy writes access log lines to `accessLogFile`. */
export enum AccessLogEncoding {
  /** Plain text, in `accessLogFormat` or Envoy's default format. */
  TEXT = 'TEXT',
  /** One JSON object per line. */
  JSON = 'JSON',
}

/** What a sidecar does with traffic to a host the mesh does not know. */
export enum OutboundTrafficPolicy {
  /** Pass it through (Istio's default). */
  ALLOW_ANY = 'ALLOW_ANY',
  /** Refuse it: only Kubernetes Services and ServiceEntries are reachable (explicit egress). */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
}

/** A collector reached at a host and port. */
export interface CollectorAddress {
  /** The collector's host, e.g. `zipkin.istio-system.svc.cluster.local`. */
  readonly service: string;
  /** The collector's port. */
  readonly port: number;
}

/** Options of {@link ExtensionProvider.externalAuthorizer}. */
export interface ExternalAuthorizerOptions extends CollectorAddress {
  /**
   * Call the authorizer over gRPC (Envoy's ext_authz gRPC API) instead of HTTP.
   * @default false (HTTP, `envoyExtAuthzHttp`)
   */
  readonly grpc?: boolean;
}

/** Options of {@link ExtensionProvider.otelAccessLog}. */
export interface OtelAccessLogOptions extends CollectorAddress {
  /**
   * The log name the collector receives.
   * @default none (Envoy's default)
   */
  readonly logName?: string;
  /**
   * Attributes of every log record, e.g. `{ pod: '%ENVIRONMENT(POD_NAME)%' }`.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/**
 * An entry of `meshConfig.extensionProviders`: a named tracing or access-log backend that
 * Telemetry resources (and `defaultProviders`) refer to by name, or an external authorizer that
 * CUSTOM AuthorizationPolicies name as their `provider`.
 */
export class ExtensionProvider {
  /** Traces sent to a Zipkin-compatible collector (Jaeger's `zipkin` Service in the addons). */
  public static zipkin(name: string, collector: CollectorAddress): ExtensionProvider {
    return new ExtensionProvider(name, 'tracing', 'zipkin', { ...collector });
  }

  /** Traces sent to an OpenTelemetry collector over OTLP/gRPC (Jaeger's `jaeger-collector:4317` in the addons). */
  public static openTelemetryTracing(name: string, collector: CollectorAddress): ExtensionProvider {
    return new ExtensionProvider(name, 'tracing', 'opentelemetry', { ...collector });
  }

  /** Traces sent to a SkyWalking OAP collector over gRPC (`skywalking`), as the demo profile's `skywalking` provider. */
  public static skywalking(name: string, collector: CollectorAddress): ExtensionProvider {
    return new ExtensionProvider(name, 'tracing', 'skywalking', { ...collector });
  }

  /**
   * An external authorizer (`envoyExtAuthzHttp`, or `envoyExtAuthzGrpc` with `grpc: true`) that
   * decides the requests a CUSTOM AuthorizationPolicy naming it matches, as Istio's external
   * authorization task does.
   */
  public static externalAuthorizer(name: string, options: ExternalAuthorizerOptions): ExtensionProvider {
    const { grpc, ...address } = options;
    return new ExtensionProvider(name, 'authorization', grpc ? 'envoyExtAuthzGrpc' : 'envoyExtAuthzHttp', { ...address });
  }

  /** Access logs sent to an OpenTelemetry collector (`envoyOtelAls`), as Istio's Loki sample does. */
  public static otelAccessLog(name: string, options: OtelAccessLogOptions): ExtensionProvider {
    const { labels, ...rest } = options;
    return new ExtensionProvider(name, 'accessLogging', 'envoyOtelAls', compact({
      ...rest,
      logFormat: labels && { labels: { ...labels } },
    })!);
  }

  /** Access logs written by Envoy to a file (`envoyFileAccessLog`), in text of the given format or Envoy's default. */
  public static fileAccessLog(name: string, path: string, format?: string): ExtensionProvider {
    return new ExtensionProvider(name, 'accessLogging', 'envoyFileAccessLog', compact({
      path,
      logFormat: format === undefined ? undefined : { text: format },
    })!);
  }

  private constructor(
    /** The provider's name. */
    public readonly name: string,
    /** What it is used for. */
    public readonly kind: ExtensionProviderKind,
    private readonly type: string,
    private readonly settings: Record<string, unknown>,
  ) {}

  /** Checks the name and the collector address. */
  public check(scope: IConstruct, field: string): void {
    checkDnsSubdomain(scope, `${field}.name`, this.name);
    if (this.name in BUILT_IN_TELEMETRY_PROVIDERS) {
      throw new MeshConfigError(scope, `${field}.name`, `"${this.name}" is the name of a built-in provider`,
        'give the provider another name');
    }
    const { service, port } = this.settings as Partial<CollectorAddress>;
    if (service !== undefined) checkHost(scope, `${field}.${this.type}.service`, service);
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new MeshConfigError(scope, `${field}.${this.type}.port`, `${port} is not a port number`, 'use an integer from 1 to 65535');
    }
  }

  /** The entry as meshConfig writes it. */
  public toJson(): Record<string, unknown> {
    return { name: this.name, [this.type]: structuredClone(this.settings) };
  }
}

/**
 * The extension providers an install has: the profile's, but those `given` redefines by name, then
 * `given`. Helm and istioctl replace the profile's list with the one written, so a list that adds
 * providers must repeat the profile's (the demo profile's `otel`, `skywalking` and `otel-tracing`,
 * which Istio's tasks name).
 */
export function installedProviders(profile: readonly ExtensionProvider[], given: readonly ExtensionProvider[]): ExtensionProvider[] {
  const redefined = new Set(given.map(p => p.name));
  return [...profile.filter(p => !redefined.has(p.name)), ...given];
}

/** The providers Telemetry resources use when they name none (`meshConfig.defaultProviders`). */
export interface DefaultProviders {
  /**
   * Tracing providers.
   * @default none
   */
  readonly tracing?: string[];
  /**
   * Access logging providers (`envoy` is the built-in file log).
   * @default none
   */
  readonly accessLogging?: string[];
  /**
   * Metrics providers (`prometheus` is the built-in one).
   * @default Istio's (prometheus)
   */
  readonly metrics?: string[];
}

/** The mesh-wide settings of a {@link MeshInstall} (`meshConfig`). */
export interface MeshSettings {
  /**
   * Where every proxy writes its access log, e.g. `/dev/stdout` (read with `kubectl logs <pod> -c istio-proxy`).
   * @default none (no access log; Istio's demo profile writes /dev/stdout)
   */
  readonly accessLogFile?: string;
  /**
   * The access log encoding.
   * @default TEXT
   */
  readonly accessLogEncoding?: AccessLogEncoding;
  /**
   * The access log format (Envoy's command operators, e.g. `[%START_TIME%] %REQ(:METHOD)% %RESPONSE_CODE%\n`).
   * @default Envoy's default format
   */
  readonly accessLogFormat?: string;
  /**
   * The percentage (0 to 100) of requests traced, for proxies without a Telemetry resource saying otherwise.
   * @default Istio's (1; 100 in the demo profile)
   */
  readonly tracingSampling?: number;
  /**
   * Tracing and access-log backends, named by Telemetry resources and `defaultProviders`.
   * @default none
   */
  readonly extensionProviders?: ExtensionProvider[];
  /**
   * The providers used when a Telemetry resource names none.
   * @default Istio's
   */
  readonly defaultProviders?: DefaultProviders;
  /**
   * What sidecars do with traffic to hosts the mesh does not know.
   * @default ALLOW_ANY (Istio's)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
}

/** Checks the settings and renders `meshConfig` (undefined when nothing is set). */
export function renderMeshConfig(scope: IConstruct, settings: MeshSettings, holdApplicationUntilProxyStarts: boolean | undefined,
  profileProviders: readonly ExtensionProvider[] = []): Record<string, unknown> | undefined {
  const field = 'meshConfig';
  if (settings.accessLogEncoding !== undefined) {
    checkMember(scope, `${field}.accessLogEncoding`, settings.accessLogEncoding, AccessLogEncoding, 'AccessLogEncoding');
  }
  if (settings.outboundTrafficPolicy !== undefined) {
    checkMember(scope, `${field}.outboundTrafficPolicy`, settings.outboundTrafficPolicy, OutboundTrafficPolicy, 'OutboundTrafficPolicy');
  }
  if ((settings.accessLogEncoding !== undefined || settings.accessLogFormat !== undefined) && settings.accessLogFile === undefined) {
    throw new MeshConfigError(scope, `${field}.accessLogFile`, 'an access log encoding or format is set, but no access log file',
      'set accessLogFile, e.g. "/dev/stdout"');
  }
  const sampling = settings.tracingSampling;
  if (sampling !== undefined && !(sampling >= 0 && sampling <= 100)) {
    throw new MeshConfigError(scope, `${field}.tracingSampling`, `${sampling} is not a percentage`, 'use a number from 0 to 100');
  }
  const providers = settings.extensionProviders ?? [];
  const kinds = new Map<string, ExtensionProviderKind>(Object.entries(BUILT_IN_TELEMETRY_PROVIDERS));
  for (const provider of profileProviders) kinds.set(provider.name, provider.kind);
  const profileNames = new Set(profileProviders.map(p => p.name));
  providers.forEach((provider, i) => {
    provider.check(scope, `${field}.extensionProviders[${i}]`);
    if (kinds.has(provider.name) && !profileNames.delete(provider.name)) {
      throw new MeshConfigError(scope, `${field}.extensionProviders[${i}].name`, `"${provider.name}" is already the name of a provider`,
        'give every provider its own name');
    }
    kinds.set(provider.name, provider.kind);
  });
  for (const kind of ['tracing', 'accessLogging', 'metrics'] as const) {
    (settings.defaultProviders?.[kind] ?? []).forEach((name, i) => {
      const at = `${field}.defaultProviders.${kind}[${i}]`;
      const found = kinds.get(name);
      if (found === undefined) {
        throw new MeshConfigError(scope, at, `"${name}" is not a provider of the install`,
          `name one of ${[...kinds.keys()].join(', ')}, or define it in extensionProviders`);
      }
      if (found !== kind) {
        throw new MeshConfigError(scope, at, `"${name}" is ${withArticle(found)} provider, not ${withArticle(kind)} one`,
          `name a ${kind} provider`);
      }
    });
  }
  const defaultConfig = compact({
    holdApplicationUntilProxyStarts,
    tracing: sampling === undefined ? undefined : { sampling },
  });
  return compact<Record<string, unknown>>({
    accessLogFile: settings.accessLogFile,
    accessLogEncoding: settings.accessLogEncoding,
    accessLogFormat: settings.accessLogFormat,
    defaultConfig,
    extensionProviders: providers.length > 0 ? installedProviders(profileProviders, providers).map(p => p.toJson()) : undefined,
    defaultProviders: settings.defaultProviders && compact({
      tracing: settings.defaultProviders.tracing && [...settings.defaultProviders.tracing],
      accessLogging: settings.defaultProviders.accessLogging && [...settings.defaultProviders.accessLogging],
      metrics: settings.defaultProviders.metrics && [...settings.defaultProviders.metrics],
    }),
    outboundTrafficPolicy: settings.outboundTrafficPolicy && { mode: settings.outboundTrafficPolicy },
  });
}

/** A provider kind with its indefinite article: `a tracing`, `an accessLogging`. */
function withArticle(kind: ExtensionProviderKind): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}
