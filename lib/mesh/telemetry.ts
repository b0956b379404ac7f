import { App, ApiObject, Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as L1 from '../../imports/telemetry.istio.io';
import { checkBooleans, checkInstance, checkList, checkMember, checkProps, numberProblem } from '../core/check';
import { compact } from '../core/compact';
import { istioDuration } from '../core/duration';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { IMeshProviders, TelemetryProviderKind, isMeshProviders } from '../core/mesh-providers';
import { checkDnsSubdomain, checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';
import type { PolicyTargetRef } from '../security/authorization-policy';
import { WorkloadTarget, matchLabelsOf } from '../security/workload-selector';

export type { ExtensionProviderKind, IMeshProviders, TelemetryProviderKind } from '../core/mesh-providers';
export { isMeshProviders } from '../core/mesh-providers';

/**
 * The providers Istio's mesh config defines whatever the install adds: `envoy` (access logs to
 * the proxy's stdout) and `prometheus` (metrics).
 */
export const BUILT_IN_TELEMETRY_PROVIDERS: Readonly<Record<string, TelemetryProviderKind>> = {
  envoy: 'accessLogging',
  prometheus: 'metrics',
};

/** Which side of a connection a tracing, logging or metrics setting applies to. */
export enum TelemetryMode {
  /** Both the client and the server side (Istio's default). */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** Only the proxy that sends the request. */
  CLIENT = 'CLIENT',
  /** Only the proxy that receives the request. */
  SERVER = 'SERVER',
}

/** Istio's standard metrics, as a metric override names them. */
export enum IstioMetric {
  /** Every metric below. */
  ALL_METRICS = 'ALL_METRICS',
  /** `istio_requests_total`. */
  REQUEST_COUNT = 'REQUEST_COUNT',
  /** `istio_request_duration_milliseconds`. */
  REQUEST_DURATION = 'REQUEST_DURATION',
  /** `istio_request_bytes`. */
  REQUEST_SIZE = 'REQUEST_SIZE',
  /** `istio_response_bytes`. */
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  /** `istio_tcp_connections_opened_total`. */
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  /** `istio_tcp_connections_closed_total`. */
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  /** `istio_tcp_sent_bytes_total`. */
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  /** `istio_tcp_received_bytes_total`. */
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  /** `istio_request_messages_total` (gRPC). */
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  /** `istio_response_messages_total` (gRPC). */
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

/** A tag added to every span: a literal, a request header, or an environment variable of the proxy. */
export class TracingTag {
  /** A fixed value. */
  public static literal(value: string): TracingTag {
    return new TracingTag({ literal: { value } });
  }

  /** The value of a request header, or `defaultValue` when the request has none. */
  public static header(name: string, defaultValue?: string): TracingTag {
    return new TracingTag({ header: compact({ name, defaultValue })! });
  }

  /** The value of an environment variable of the proxy, or `defaultValue` when it is unset. */
  public static environment(name: string, defaultValue?: string): TracingTag {
    return new TracingTag({ environment: compact({ name, defaultValue })! });
  }

  private constructor(
    /** @internal The Telemetry `customTags` entry. */
    public readonly _tag: L1.TelemetrySpecTracingCustomTags,
  ) {}
}

/** Tracing settings: which providers get spans, and how many requests are sampled. */
export interface TelemetryTracing {
  /**
   * Extension providers that receive the spans, e.g. `otel-tracing` or `zipkin`.
   * @default the mesh config's default tracing provider
   */
  readonly providers?: string[];
  /**
   * Percentage of requests traced (0–100; 0 turns sampling off, as the upstream OpenTelemetry sample does).
   * @default the mesh config's sampling (Istio's default 1%)
   */
  readonly randomSamplingPercentage?: number;
  /**
   * Tags added to every span, by tag name.
   * @default none
   */
  readonly customTags?: Record<string, TracingTag>;
  /**
   * Stop reporting spans while still propagating the trace context.
   * @default false
   */
  readonly disableSpanReporting?: boolean;
  /**
   * The side the settings apply to.
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
}

/** Access logging settings. */
export interface TelemetryAccessLogging {
  /**
   * Extension providers that receive the logs, e.g. `envoy` (the proxy's stdout) or `otel`;
   * required unless `disabled` (an entry without providers is ignored by Istio, IST0157).
   * @default none
   */
  readonly providers?: string[];
  /**
   * Turn access logging off for these workloads.
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * A CEL expression selecting the requests logged, e.g. `response.code >= 400`.
   * @default every request
   */
  readonly filter?: string;
  /**
   * The side the settings apply to.
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
}

/** A change to one of Istio's metrics (or all of them): disabled, or tags added, changed and removed. */
export interface TelemetryMetricOverride {
  /**
   * The standard metric changed; exclusive with `customMetric`.
   * @default IstioMetric.ALL_METRICS when no customMetric is set
   */
  readonly metric?: IstioMetric;
  /**
   * The name of a custom metric changed, instead of a standard one.
   * @default none
   */
  readonly customMetric?: string;
  /**
   * The side the override applies to.
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
  /**
   * Stop reporting the metric.
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Tags set (added or replaced), by tag name, each a CEL expression, e.g. `{ request_host: 'request.host' }`.
   * @default none
   */
  readonly setTags?: Record<string, string>;
  /**
   * Tags removed from the metric.
   * @default none
   */
  readonly removeTags?: string[];
}

/** Metrics settings. */
export interface TelemetryMetrics {
  /**
   * Extension providers the settings apply to.
   * @default the mesh config's default metrics provider (`prometheus`)
   */
  readonly providers?: string[];
  /**
   * Changes to the metrics.
   * @default none
   */
  readonly overrides?: TelemetryMetricOverride[];
  /**
   * How often the proxy reports the metrics to a push-based provider.
   * @default Istio's default
   */
  readonly reportingInterval?: Duration;
}

/** Props of {@link Telemetry}. */
export interface TelemetryProps {
  /**
   * The resource name; `mesh-default` is the convention for the mesh-wide one.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Make the Telemetry mesh-wide: it is placed in the root namespace and applies to every workload.
   * @default false
   */
  readonly meshWide?: boolean;
  /**
   * The mesh's root namespace, where mesh-wide Telemetry lives.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The namespace (not with `meshWide`, which places it in `rootNamespace`).
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The workloads the settings apply to (sidecars); exclusive with targetRefs.
   * @default every workload in the namespace (or the mesh)
   */
  readonly selector?: WorkloadTarget;
  /**
   * Gateways, waypoints or Services the settings apply to, e.g. `{ group: 'gateway.networking.k8s.io',
   * kind: 'Gateway', name: 'waypoint' }`; exclusive with selector.
   * @default none
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * Tracing settings.
   * @default none (the mesh config's)
   */
  readonly tracing?: TelemetryTracing[];
  /**
   * Access logging settings.
   * @default none (the mesh config's)
   */
  readonly accessLogging?: TelemetryAccessLogging[];
  /**
   * Metrics settings.
   * @default none (the mesh config's)
   */
  readonly metrics?: TelemetryMetrics[];
  /**
   * The install whose mesh config defines the providers named here.
   * @default the IstioInstall constructs of the app (if there are none, only Istio's built-in providers may be named)
   */
  readonly install?: IMeshProviders;
}

/** The members of a generated match-mode enum (tracing, access logging and metrics each have their own). */
interface L1Modes<M> {
  readonly CLIENT_UNDERSCORE_AND_UNDERSCORE_SERVER: M;
  readonly CLIENT: M;
  readonly SERVER: M;
}

/** The explicit mapping of {@link TelemetryMode} to one generated enum. */
function modes<M>(l1: L1Modes<M>): Readonly<Record<TelemetryMode, M>> {
  return {
    [TelemetryMode.CLIENT_AND_SERVER]: l1.CLIENT_UNDERSCORE_AND_UNDERSCORE_SERVER,
    [TelemetryMode.CLIENT]: l1.CLIENT,
    [TelemetryMode.SERVER]: l1.SERVER,
  };
}

const TRACING_MODES = modes(L1.TelemetrySpecTracingMatchMode);
const ACCESS_LOG_MODES = modes(L1.TelemetrySpecAccessLoggingMatchMode);
const METRIC_MODES = modes(L1.TelemetrySpecMetricsOverridesMatchMode);

const M = L1.TelemetrySpecMetricsOverridesMatchMetric;
const METRICS: Readonly<Record<IstioMetric, L1.TelemetrySpecMetricsOverridesMatchMetric>> = {
  [IstioMetric.ALL_METRICS]: M.ALL_UNDERSCORE_METRICS,
  [IstioMetric.REQUEST_COUNT]: M.REQUEST_UNDERSCORE_COUNT,
  [IstioMetric.REQUEST_DURATION]: M.REQUEST_UNDERSCORE_DURATION,
  [IstioMetric.REQUEST_SIZE]: M.REQUEST_UNDERSCORE_SIZE,
  [IstioMetric.RESPONSE_SIZE]: M.RESPONSE_UNDERSCORE_SIZE,
  [IstioMetric.TCP_OPENED_CONNECTIONS]: M.TCP_UNDERSCORE_OPENED_UNDERSCORE_CONNECTIONS,
  [IstioMetric.TCP_CLOSED_CONNECTIONS]: M.TCP_UNDERSCORE_CLOSED_UNDERSCORE_CONNECTIONS,
  [IstioMetric.TCP_SENT_BYTES]: M.TCP_UNDERSCORE_SENT_UNDERSCORE_BYTES,
  [IstioMetric.TCP_RECEIVED_BYTES]: M.TCP_UNDERSCORE_RECEIVED_UNDERSCORE_BYTES,
  [IstioMetric.GRPC_REQUEST_MESSAGES]: M.GRPC_UNDERSCORE_REQUEST_UNDERSCORE_MESSAGES,
  [IstioMetric.GRPC_RESPONSE_MESSAGES]: M.GRPC_UNDERSCORE_RESPONSE_UNDERSCORE_MESSAGES,
};

/**
 * An Istio Telemetry: tracing providers and sampling, access logging and metric overrides for the
 * whole mesh (`meshWide`), a namespace, some workloads (`selector`), or gateways and waypoints
 * (`targetRefs`). Every provider named must be one of Istio's built-in providers or an extension
 * provider the install defines, or synthesis fails.
 */
export class Telemetry extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The namespace it lives in. */
  public readonly namespace: string;
  /** The L1 object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, private readonly props: TelemetryProps) {
    super(scope, id);
    checkProps(this, props, 'what it configures, e.g. { accessLogging: [{ providers: [\'envoy\'] }] }');
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    if (props.meshWide && (props.selector || props.targetRefs)) {
      throw new MeshConfigError(this, props.selector ? 'selector' : 'targetRefs',
        'a mesh-wide Telemetry applies to every workload and cannot select some',
        'remove the selector or targetRefs, or drop meshWide for a Telemetry in the workloads\' namespace');
    }
    if (props.meshWide && props.namespace !== undefined) {
      throw new MeshConfigError(this, 'namespace', 'a mesh-wide Telemetry lives in the root namespace, so namespace would be ignored',
        'remove namespace (set rootNamespace for another root), or drop meshWide for a Telemetry of that namespace');
    }
    if (props.selector && props.targetRefs) {
      throw new MeshConfigError(this, 'targetRefs', 'selector and targetRefs cannot both be set',
        'keep selector for sidecar workloads, or targetRefs for gateways and waypoints');
    }
    if (props.targetRefs?.length === 0) {
      throw new MeshConfigError(this, 'targetRefs', 'an empty targetRefs list', 'name the gateways or waypoints, or remove targetRefs');
    }
    checkTelemetryLists(this, props);
    checkBooleans(this, '', props, ['meshWide']);
    props.tracing?.forEach((t, i) => checkBooleans(this, `tracing[${i}]`, t, ['disableSpanReporting']));
    props.accessLogging?.forEach((a, i) => checkBooleans(this, `accessLogging[${i}]`, a, ['disabled']));
    props.metrics?.forEach((m, i) => m.overrides?.forEach((o, j) => checkBooleans(this, `metrics[${i}].overrides[${j}]`, o, ['disabled'])));
    if (!props.tracing?.length && !props.accessLogging?.length && !props.metrics?.length) {
      throw new MeshConfigError(this, 'tracing', 'the Telemetry configures nothing',
        'set tracing, accessLogging or metrics');
    }
    this.namespace = props.meshWide
      ? checkNamespaceName(this, 'rootNamespace', props.rootNamespace ?? 'istio-system')
      : checkNamespaceName(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    const explicitNamespace = props.meshWide || props.namespace !== undefined;
    const spec = compact<L1.TelemetrySpec>({
      selector: props.selector && { matchLabels: matchLabelsOf(this, 'selector', props.selector, this.namespace) },
      targetRefs: props.targetRefs?.map(t => ({ group: t.group ?? '', kind: t.kind, name: t.name })),
      tracing: props.tracing?.map((t, i) => this.renderTracing(t, `tracing[${i}]`)),
      accessLogging: props.accessLogging?.map((a, i) => this.renderAccessLogging(a, `accessLogging[${i}]`)),
      metrics: props.metrics?.map((m, i) => this.renderMetrics(m, `metrics[${i}]`)),
    })!;
    this.node.addValidation({ validate: () => this.validateProviders() });
    this.resource = libraryObject(this, 'Resource', L1.Telemetry,
      { name: this.name, ...(explicitNamespace && { namespace: this.namespace }) }, spec, L1.toJson_TelemetrySpec);
  }

  /** Every provider the Telemetry names. */
  public get providerNames(): string[] {
    return [...new Set(this.providerFields().map(p => p.name))];
  }

  private providerFields(): { name: string; kind: TelemetryProviderKind; field: string }[] {
    const of = (kind: TelemetryProviderKind, list: string[] | undefined, field: string) =>
      (list ?? []).map((name, i) => ({ name, kind, field: `${field}.providers[${i}]` }));
    return [
      ...(this.props.tracing ?? []).flatMap((t, i) => of('tracing', t.providers, `tracing[${i}]`)),
      ...(this.props.accessLogging ?? []).flatMap((a, i) => of('accessLogging', a.providers, `accessLogging[${i}]`)),
      ...(this.props.metrics ?? []).flatMap((m, i) => of('metrics', m.providers, `metrics[${i}]`)),
    ];
  }

  /** Providers neither built in nor defined (for that kind) by the install, given or found in the app. */
  private validateProviders(): string[] {
    const installs = this.props.install ? [this.props.install] : App.of(this).node.findAll().filter(isMeshProviders);
    const builtIn = Object.entries(BUILT_IN_TELEMETRY_PROVIDERS).map(([name, kind]) => `${name} (${kind})`).join(', ');
    const defined = (name: string, kind: TelemetryProviderKind) => (installs.length > 0
      ? installs.some(i => i.hasProvider(name, kind))
      : BUILT_IN_TELEMETRY_PROVIDERS[name] === kind);
    const where = installs.length > 0
      ? `the install (${installs.map(i => i.node.path).join(', ')})`
      : 'the app, which holds no Istio install,';
    return this.providerFields().filter(p => !defined(p.name, p.kind)).map(p => formatProblem(this, p.field,
      `${p.kind} provider "${p.name}" is not defined by ${where} nor built into Istio (${builtIn})`,
      installs.length > 0
        ? `add a ${p.kind} extension provider named "${p.name}" to the install's meshConfig, or name one it defines`
        : `pass install: <the MeshInstall whose meshConfig defines "${p.name}">, or name a built-in provider`));
  }

  private checkProviders(field: string, providers: string[] | undefined): L1.TelemetrySpecTracingProviders[] | undefined {
    if (providers === undefined) return undefined;
    if (providers.length === 0) {
      throw new MeshConfigError(this, `${field}.providers`, 'an empty providers list', 'name a provider, or leave providers unset');
    }
    return providers.map((name, i) => ({ name: checkProviderName(this, `${field}.providers[${i}]`, name) }));
  }

  private renderTracing(t: TelemetryTracing, field: string): L1.TelemetrySpecTracing {
    const sampling = t.randomSamplingPercentage;
    if (sampling !== undefined && (!Number.isFinite(sampling) || sampling < 0 || sampling > 100)) {
      throw new MeshConfigError(this, `${field}.randomSamplingPercentage`, numberProblem(sampling, 'is not a percentage'),
        'use a number from 0 to 100');
    }
    const tags = Object.entries(t.customTags ?? {});
    tags.forEach(([name, tag]) => {
      if (name.length === 0) throw new MeshConfigError(this, `${field}.customTags`, 'a tag without a name', 'name every tag');
      checkInstance(this, `${field}.customTags.${name}`, tag, TracingTag,
        'TracingTag.literal(...), TracingTag.header(...) or TracingTag.environment(...)');
    });
    return compact<L1.TelemetrySpecTracing>({
      match: t.mode && { mode: TRACING_MODES[checkMember(this, `${field}.mode`, t.mode, TelemetryMode, 'TelemetryMode')] },
      providers: this.checkProviders(field, t.providers),
      randomSamplingPercentage: sampling,
      disableSpanReporting: t.disableSpanReporting,
      customTags: tags.length > 0 ? Object.fromEntries(tags.map(([name, tag]) => [name, tag._tag])) : undefined,
    }) ?? {};
  }

  private renderAccessLogging(a: TelemetryAccessLogging, field: string): L1.TelemetrySpecAccessLogging {
    if (!a.disabled && !a.providers?.length) {
      throw new MeshConfigError(this, `${field}.providers`,
        'an access logging entry without providers is ignored, as the default mesh config names no access log provider (IST0157)',
        'name a provider, e.g. providers: [\'envoy\'] for the proxy\'s stdout, or set disabled: true');
    }
    if (a.filter !== undefined && a.filter.trim() === '') {
      throw new MeshConfigError(this, `${field}.filter`, 'an empty filter expression', 'write a CEL expression, or remove filter');
    }
    return compact<L1.TelemetrySpecAccessLogging>({
      match: a.mode && { mode: ACCESS_LOG_MODES[checkMember(this, `${field}.mode`, a.mode, TelemetryMode, 'TelemetryMode')] },
      providers: this.checkProviders(field, a.providers),
      disabled: a.disabled,
      filter: a.filter !== undefined ? { expression: a.filter } : undefined,
    })!;
  }

  private renderMetrics(m: TelemetryMetrics, field: string): L1.TelemetrySpecMetrics {
    return compact<L1.TelemetrySpecMetrics>({
      providers: this.checkProviders(field, m.providers),
      overrides: m.overrides?.map((o, i) => this.renderOverride(o, `${field}.overrides[${i}]`)),
      reportingInterval: m.reportingInterval && istioDuration(this, `${field}.reportingInterval`, m.reportingInterval),
    }) ?? {};
  }

  private renderOverride(o: TelemetryMetricOverride, field: string): L1.TelemetrySpecMetricsOverrides {
    if (o.metric !== undefined) checkMember(this, `${field}.metric`, o.metric, IstioMetric, 'IstioMetric');
    if (o.metric !== undefined && o.customMetric !== undefined) {
      throw new MeshConfigError(this, `${field}.customMetric`, 'metric and customMetric cannot both be set', 'keep one of them');
    }
    const set = Object.entries(o.setTags ?? {});
    const removed = o.removeTags ?? [];
    const both = removed.find(tag => tag in (o.setTags ?? {}));
    if (both !== undefined) {
      throw new MeshConfigError(this, `${field}.removeTags`, `tag "${both}" is both set and removed`, 'set it or remove it');
    }
    if (o.disabled && (set.length > 0 || removed.length > 0)) {
      throw new MeshConfigError(this, `${field}.disabled`, 'a disabled metric reports no tags to change',
        'drop setTags and removeTags, or disabled');
    }
    if (!o.disabled && set.length === 0 && removed.length === 0) {
      throw new MeshConfigError(this, field, 'the override changes nothing', 'set disabled, setTags or removeTags');
    }
    const operation = L1.TelemetrySpecMetricsOverridesTagOverridesOperation;
    const tagOverrides = [
      ...set.map(([tag, value]) => [tag, { operation: operation.UPSERT, value }] as const),
      ...removed.map(tag => [tag, { operation: operation.REMOVE }] as const),
    ];
    const match = compact<L1.TelemetrySpecMetricsOverridesMatch>({
      metric: o.customMetric === undefined ? METRICS[o.metric ?? IstioMetric.ALL_METRICS] : undefined,
      customMetric: o.customMetric,
      mode: o.mode && METRIC_MODES[checkMember(this, `${field}.mode`, o.mode, TelemetryMode, 'TelemetryMode')],
    });
    return compact<L1.TelemetrySpecMetricsOverrides>({
      match,
      disabled: o.disabled,
      tagOverrides: tagOverrides.length > 0 ? Object.fromEntries(tagOverrides) : undefined,
    })!;
  }
}

/** A provider name: what the mesh config's extensionProviders accept (non-empty, no spaces). */
function checkProviderName(scope: IConstruct, field: string, name: string): string {
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
    throw new MeshConfigError(scope, field, `"${name}" is not a provider name`,
      'use the name of an extension provider of the mesh config, e.g. "otel" or "prometheus"');
  }
  return name;
}

/**
 * Checks that the lists of a Telemetry's props are lists (a JavaScript caller can pass one string
 * or object): its targetRefs, tracing, accessLogging and metrics entries, their providers, and the
 * metrics' overrides.
 */
function checkTelemetryLists(scope: IConstruct, props: TelemetryProps): void {
  checkList(scope, 'targetRefs', props.targetRefs);
  for (const section of ['tracing', 'accessLogging', 'metrics'] as const) {
    checkList(scope, section, props[section])?.forEach((entry, i) => checkList(scope, `${section}[${i}].providers`, entry.providers));
  }
  props.metrics?.forEach((m, i) => checkList(scope, `metrics[${i}].overrides`, m.overrides));
}
