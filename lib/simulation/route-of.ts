import { App, Chart } from 'cdk8s';
import { RouteSimulator } from './simulate';
import { RequestSource, Simulation, SimulationRequest } from './types';
import { AnalysisInput, Doc } from '../analysis/mesh-index';
import { describeGiven } from '../core/check';
import { qualifyHost } from '../core/hosts';
import type { IMeshWorkload } from '../core/workload-refs';
import type { Destination } from '../mesh/destination';
import { Gateway } from '../mesh/gateway';

/**
 * What to simulate against: a chart, an App (all its charts), a list of charts and documents
 * applied in order (a later object replaces an earlier one of the same identity, as `kubectl
 * apply` of the files in order would: a base chart and a scenario on top), or a simulator built
 * once with {@link simulatorOf} (for many requests against one large set).
 */
export type SimulationSource = Chart | App | RouteSimulator | readonly (Chart | Doc | AnalysisInput)[];

/**
 * Where a request comes from, in the test API: a Gateway construct or `<namespace>/<name>`
 * (through that gateway), a MeshService (from its pods, in its namespace, as its ServiceAccount),
 * or a {@link RequestSource}.
 */
export type RequestOrigin = Gateway | IMeshWorkload | RequestSource;

/** A request for the test API: a {@link SimulationRequest} whose `from` may name constructs. */
export interface RouteRequest extends Omit<SimulationRequest, 'from'> {
  /**
   * Where the request comes from.
   * @default anywhere: every VirtualService whatever its gateways, short hosts in each one's namespace
   */
  readonly from?: RequestOrigin;
}

/** Where a share of the requests goes: what {@link routeOf} returns and {@link routeTo} builds, comparable with `toEqual`. */
export interface RouteTarget {
  /** The fully qualified host, e.g. `reviews.bookinfo.svc.cluster.local`. */
  readonly host: string;
  /** The subset (a MeshService version), when the route names one. */
  readonly subset?: string;
  /** The port, when the route names one. */
  readonly port?: number;
  /** The share of the requests, in percent (100 for the only destination). */
  readonly percent: number;
}

/** A simulator over `source`, to simulate many requests against documents rendered and indexed once. */
export function simulatorOf(source: SimulationSource): RouteSimulator {
  return source instanceof RouteSimulator ? source : new RouteSimulator(inputsOf(source));
}

/**
 * Simulates one request as Istio's proxies would route it: the VirtualService and rule that match
 * (or none), the destinations with their shares, redirect, rewrite, header operations, fault,
 * timeout, retries, mirrors, and whether each destination's AuthorizationPolicies let it in.
 * Charts are rendered with `toJson()` (which validates the app, as `Testing.synth` does).
 */
export function simulate(source: SimulationSource, request: RouteRequest): Simulation {
  return simulatorOf(source).simulate(toSimulationRequest(request));
}

/**
 * Where a request goes, for assertions in a test: one {@link RouteTarget} per destination of the
 * matched rule (or of the host's Service when no VirtualService decides), none when the request
 * is redirected, answered directly or not routed. Compare it with {@link routeTo}:
 *
 *   expect(routeOf(chart, { host: 'reviews', headers: { 'end-user': 'jason' } })).toEqual(routeTo(reviews.version('v2')));
 */
export function routeOf(source: SimulationSource, request: RouteRequest): RouteTarget[] {
  return simulate(source, request).destinations.map(d => ({
    host: d.fqdn, ...(d.subset !== undefined && { subset: d.subset }), ...(d.port !== undefined && { port: d.port }), percent: d.percent,
  }));
}

/**
 * The {@link RouteTarget}s of destinations, as a route with them would split the requests:
 * `routeTo(reviews.version('v1').withWeight(50), reviews.version('v3').withWeight(50))`. A
 * `Destination.toHost()` (or a DestinationRule's host string) with a short name is taken to be in
 * the `default` namespace: name such hosts fully qualified.
 */
export function routeTo(...destinations: Destination[]): RouteTarget[] {
  const weights = destinations.map(d => d.weight ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return destinations.map((d, i) => {
    const istio = d._toIstio('');
    const percent = destinations.length === 1 ? 100 : total === 0 ? 100 / destinations.length : (weights[i] * 100) / total;
    return {
      host: qualifyHost(istio.host, 'default'),
      ...(istio.subset !== undefined && { subset: istio.subset }),
      ...(istio.port?.number !== undefined && { port: istio.port.number }),
      percent: Math.round(percent * 100) / 100,
    };
  });
}

/** The documents of a source, in order. */
function inputsOf(source: Exclude<SimulationSource, RouteSimulator>): AnalysisInput[] {
  if (Chart.isChart(source)) return chartInputs(source);
  if (isApp(source)) return source.charts.flatMap(chartInputs);
  return (source as readonly (Chart | Doc | AnalysisInput)[]).flatMap(item => {
    if (Chart.isChart(item)) return chartInputs(item);
    return isInput(item) ? [item] : [{ doc: item }];
  });
}

function chartInputs(chart: Chart): AnalysisInput[] {
  return chart.toJson().map((doc: Doc) => ({ doc }));
}

function isApp(value: unknown): value is App {
  return value instanceof App;
}

function isInput(value: Doc | AnalysisInput): value is AnalysisInput {
  return typeof value.doc === 'object' && value.doc !== null && typeof (value as Doc).kind !== 'string';
}

function toSimulationRequest(request: RouteRequest): SimulationRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new TypeError(`the request must be an object such as { host: 'reviews', path: '/' }, not ${describeGiven(request)}. `
      + 'Fix: pass the request to simulate');
  }
  const { from, ...rest } = request;
  return from === undefined ? rest : { ...rest, from: toSource(from) };
}

function toSource(from: RequestOrigin): RequestSource {
  if (from instanceof Gateway) return { gateway: from.referenceFrom('') };
  if (isWorkload(from)) return { namespace: from.namespace, labels: from.selectorLabels, serviceAccount: from.serviceAccountName };
  return from;
}

function isWorkload(from: RequestOrigin): from is IMeshWorkload {
  return typeof (from as IMeshWorkload).node === 'object' && typeof (from as IMeshWorkload).selectorLabels === 'object';
}
