import { IConstruct } from 'constructs';
import { PortProtocol } from '../core/port-protocol';
import type { IRoutableService } from '../core/workload-refs';
import { MeshService } from '../workload/mesh-service';

/** Protocols whose traffic Istio's proxies count as requests (`istio_requests_total`); the others as TCP bytes. */
const REQUEST_PROTOCOLS: readonly PortProtocol[] = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB];

/** A Grafana dashboard the library generated: its file name in the dashboards ConfigMap and its JSON model. */
export interface GrafanaDashboard {
  /** The file name, e.g. `bookinfo-dashboard.json`. */
  readonly file: string;
  /** The dashboard's JSON model. */
  readonly model: Record<string, unknown>;
}

/** The services of an app (or chart) a dashboard shows: every MeshService in it, in construct order. */
export function meshServicesOf(scope: IConstruct): IRoutableService[] {
  return scope.node.findAll().filter((c): c is MeshService => c instanceof MeshService);
}

/** The PromQL selector of a service's server-side metrics (reported by the destination's proxy). */
function selectorOf(service: IRoutableService, extra = ''): string {
  return `reporter="destination",destination_service_namespace="${service.namespace}",destination_service_name="${service.name}"${extra}`;
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { expr: string; legendFormat: string }[];
}

/** The panels of one service: request rate, error rate and latency per version for HTTP and gRPC; bytes and connections for TCP. */
function servicePanels(service: IRoutableService): Panel[] {
  const by = service.versionNames.length > 0 ? 'destination_version' : 'destination_workload';
  const legend = `{{${by}}}`;
  const rate = (metric: string, extra = '') => `sum(rate(${metric}{${selectorOf(service, extra)}}[$__rate_interval])) by (${by})`;
  if (!service.ports.some(p => REQUEST_PROTOCOLS.includes(p.protocol))) {
    return [
      {
        title: `${service.name}: bytes received`,
        unit: 'Bps',
        targets: [{
          expr: rate('istio_tcp_received_bytes_total'),
          legendFormat: legend,
        }],
      },
      { title: `${service.name}: bytes sent`, unit: 'Bps', targets: [{ expr: rate('istio_tcp_sent_bytes_total'), legendFormat: legend }] },
      {
        title: `${service.name}: connections opened`,
        unit: 'cps',
        targets: [{
          expr: rate('istio_tcp_connections_opened_total'),
          legendFormat: legend,
        }],
      },
    ];
  }
  const quantile = (q: number) => ({
    expr: `histogram_quantile(${q}, sum(rate(istio_request_duration_milliseconds_bucket{${selectorOf(service)}}[$__rate_interval]))`
      + ` by (le, ${by}))`,
    legendFormat: `p${Math.round(q * 100)} ${legend}`,
  });
  return [
    { title: `${service.name}: request rate`, unit: 'reqps', targets: [{ expr: rate('istio_requests_total'), legendFormat: legend }] },
    {
      title: `${service.name}: error rate (5xx)`,
      unit: 'percentunit',
      targets: [{
        expr: `${rate('istio_requests_total', ',response_code=~"5.."')} / ${rate('istio_requests_total')}`,
        legendFormat: legend,
      }],
    },
    { title: `${service.name}: latency`, unit: 'ms', targets: [quantile(0.5), quantile(0.9), quantile(0.99)] },
  ];
}

/**
 * A dashboard of an app's services from its own model: for each MeshService a row with its
 * request rate, error rate (the share of 5xx responses) and latency (p50, p90, p99) per version,
 * from Istio's standard metrics as the destination's proxy reports them (`istio_requests_total`,
 * `istio_request_duration_milliseconds`); TCP-only services show bytes and connections.
 */
export function appDashboard(name: string, title: string, services: readonly IRoutableService[]): GrafanaDashboard {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const service of services) {
    panels.push({
      id: id++,
      type: 'row',
      title: `${service.name}.${service.namespace}`,
      collapsed: false,
      gridPos: {
        h: 1,
        w: 24,
        x: 0,
        y,
      },
      panels: [],
    });
    y += 1;
    servicePanels(service).forEach((panel, i) => {
      panels.push({
        id: id++,
        type: 'timeseries',
        title: panel.title,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        gridPos: { h: 8, w: 8, x: i * 8, y },
        targets: panel.targets.map((t, j) => ({
          ...t,
          refId: String.fromCharCode(65 + j),
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
        })),
      });
    });
    y += 8;
  }
  return {
    file: `${name}-dashboard.json`,
    model: {
      uid: name,
      title,
      tags: ['istio', 'cdk8s-istio'],
      editable: false,
      schemaVersion: 38,
      refresh: '30s',
      time: { from: 'now-30m', to: 'now' },
      templating: {
        list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', hide: 0, includeAll: false, multi: false, refresh: 1 }],
      },
      panels,
    },
  };
}
