import { analyze } from '../../../lib/analysis/analyze';
import { MessageCode } from '../../../lib/analysis/messages';

/** A plain Kubernetes object. */
export type Doc = Record<string, any>;

/** The findings of one code over `docs`, as `Kind/namespace/name field: message` lines, sorted. */
export function findings(code: MessageCode, docs: readonly Doc[]): string[] {
  return analyze(docs).filter(m => m.code === code)
    .map(m => `${m.resource.kind}/${m.resource.namespace ? `${m.resource.namespace}/` : ''}${m.resource.name} ${m.field ?? ''}: ${m.message}`);
}

/** The resources (`Kind/namespace/name`) one code is reported on, one entry per finding. */
export function reported(code: MessageCode, docs: readonly Doc[]): string[] {
  return findings(code, docs).map(f => f.slice(0, f.indexOf(' ')));
}

/** An object of `kind` (apiVersion from the kind) named `namespace/name`, with `spec` and metadata extras. */
export function obj(kind: string, id: string, spec?: Doc, metadata: Doc = {}): Doc {
  const [namespace, name] = id.includes('/') ? id.split('/') : [undefined, id];
  const apiVersion = API_VERSIONS[kind] ?? 'v1';
  return { apiVersion, kind, metadata: { name, ...(namespace && { namespace }), ...metadata }, ...(spec && { spec }) };
}

const API_VERSIONS: Record<string, string> = {
  Gateway: 'networking.istio.io/v1',
  VirtualService: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1',
  ServiceEntry: 'networking.istio.io/v1',
  Sidecar: 'networking.istio.io/v1',
  AuthorizationPolicy: 'security.istio.io/v1',
  Telemetry: 'telemetry.istio.io/v1',
  Deployment: 'apps/v1',
};

/** A Pod with `labels`. */
export function pod(id: string, labels: Record<string, string>, spec: Doc = {}): Doc {
  return obj('Pod', id, { containers: [{ name: 'app', image: 'registry.example.com/app:1' }], ...spec }, { labels });
}

/** A Gateway selecting `selector`, with one server per entry of `servers`. */
export function gateway(id: string, selector: Record<string, string>, servers: readonly Doc[]): Doc {
  return obj('Gateway', id, { selector, servers: servers.map((s, i) => ({ port: { number: 80, name: `http-${i}`, protocol: 'HTTP' }, ...s })) });
}
