import { App, Chart, Testing } from 'cdk8s';
import { MeshService, VirtualService, PortProtocol, Sidecar, Gateway, GatewayProtocol, RoutingApi } from '../lib';
function svc(chart: Chart, name: string, ports: any[]) {
  return new MeshService(chart, name, { ports, versions: { v1: { image: `example/${name}:1` } } });
}
function tryCase(label: string, fn: (chart: Chart) => void) {
  const app = Testing.app(); const chart = new Chart(app, 'c', { namespace: 'shop' });
  try { fn(chart); app.synth(); console.log('OK  ', label); }
  catch (e: any) { console.log('FAIL', label, '\n     ', String(e.message).split('\n').slice(0,3).join(' | ')); }
}
tryCase('mesh VS hosts [http svc, tcp svc] with http+tcp routes', chart => {
  const web = svc(chart, 'web', [{ port: 8080 }]);
  const db = svc(chart, 'db', [{ port: 5432, protocol: PortProtocol.TCP }]);
  new VirtualService(chart, 'vs', { hosts: [web, db], http: [{ to: [web.version('v1')] }], tcp: [{ to: [db.version('v1')] }] });
});
tryCase('mesh VS hosts [http svc, external string] with tcp routes', chart => {
  const web = svc(chart, 'web', [{ port: 8080 }]);
  new VirtualService(chart, 'vs', { hosts: [web, 'db.example.com'], http: [{ to: [web.version('v1')] }], tcp: [{ to: [web.version('v1')] }] });
});
tryCase('mesh VS, gateway API mode, tcp svc, tcp route', chart => {
  const db = svc(chart, 'db', [{ port: 5432, protocol: PortProtocol.TCP }]);
  new VirtualService(chart, 'vs', { hosts: [db], tcp: [{ to: [db.version('v1')] }], routingApi: RoutingApi.GATEWAY_API });
});
tryCase('mesh VS http route on udp svc', chart => {
  const d = svc(chart, 'dns', [{ port: 53, protocol: PortProtocol.UDP }]);
  new VirtualService(chart, 'vs', { hosts: [d], http: [{ to: [d.version('v1')] }] });
});
tryCase('mesh VS tls route on https svc', chart => {
  const d = svc(chart, 's', [{ port: 443, protocol: PortProtocol.HTTPS }]);
  new VirtualService(chart, 'vs', { hosts: [d], tls: [{ match: [{ sniHosts: ['s.shop.svc.cluster.local'] }], to: [d.version('v1')] }] });
});
tryCase('sidecar egress frontend/reviews.bookinfo (client-side VS in frontend)', chart => {
  new Sidecar(chart, 'sc', { egressHosts: ['bookinfo/reviews.bookinfo.svc.cluster.local', 'shop/reviews.bookinfo.svc.cluster.local'] });
});
