import * as path from 'path';
import { syntheticMesh } from './synthetic-mesh';
import { Doc } from '../../lib';
import { readManifests } from '../../lib/analysis/read-manifests';
import { Box, layoutMesh } from '../../lib/graph/layout';
import { GraphEdge, MeshGraph, meshGraph } from '../../lib/graph/model';
import { renderMeshHtml } from '../../lib/graph/render';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

function read(...files: string[]): Doc[] {
  return files.flatMap(f => readManifests(path.join(DIST, f)).map(i => i.doc));
}

/** `from → to: labels` of the edges of one kind (access edges: allowed or `denied`). */
function edges(graph: MeshGraph, kind: GraphEdge['kind']): string[] {
  return graph.edges.filter(e => e.kind === kind).map(e => `${e.from} → ${e.to}: ${e.labels.join(' | ')}`);
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('meshGraph: the picture of a mesh', () => {
  test('secure Bookinfo: services and versions, the gateway route, allowed and denied calls, STRICT mTLS', () => {
    const graph = meshGraph(read('bookinfo-secure/bookinfo.yaml'));
    expect(graph.namespaces).toEqual([{ name: 'bookinfo', mtls: 'STRICT', findings: [] }]);
    expect(graph.nodes.filter(n => n.kind !== 'version').map(n => `${n.id} ${n.details.join(', ')}`)).toEqual([
      'gw:bookinfo/bookinfo-gateway HTTP 8080: *',
      'svc:bookinfo/details http 9080', 'svc:bookinfo/productpage http 9080', 'svc:bookinfo/ratings http 9080', 'svc:bookinfo/reviews http 9080',
    ]);
    // Subsets that no Deployment of this app carries (upstream's other files deploy them) are missing.
    expect(graph.nodes.filter(n => n.kind === 'version').map(n => `${n.label}${n.missing ? ' (no pods)' : ''}`)).toEqual([
      'v1', 'v2 (no pods)', 'v1', 'v1', 'v2 (no pods)', 'v2-mysql (no pods)', 'v2-mysql-vm (no pods)', 'v1', 'v2', 'v3',
    ]);
    expect(edges(graph, 'route')).toEqual([
      'gw:bookinfo/bookinfo-gateway → svc:bookinfo/productpage: /productpage | /static* | /login | /logout | /api/v1/products*',
      'svc:bookinfo/details → ver:bookinfo/details/v1: all',
      'svc:bookinfo/productpage → ver:bookinfo/productpage/v1: all',
      'svc:bookinfo/ratings → ver:bookinfo/ratings/v1: all',
      'svc:bookinfo/reviews → ver:bookinfo/reviews/v1: all',
    ]);
    const allowed = graph.edges.filter(e => e.kind === 'access' && e.allowed).map(e => `${e.from} → ${e.to}: ${e.labels}`);
    expect(allowed).toEqual(expect.arrayContaining([
      'gw:bookinfo/bookinfo-gateway → svc:bookinfo/productpage: GET', 'svc:bookinfo/productpage → svc:bookinfo/details: GET',
      'svc:bookinfo/productpage → svc:bookinfo/reviews: GET', 'svc:bookinfo/reviews → svc:bookinfo/ratings: GET',
    ]));
    expect(allowed).toHaveLength(7);
    const denied = graph.edges.filter(e => !e.allowed).map(e => `${e.from} → ${e.to}`);
    expect(denied).toEqual(expect.arrayContaining(['gw:bookinfo/bookinfo-gateway → svc:bookinfo/reviews', 'svc:bookinfo/productpage → svc:bookinfo/ratings']));
    expect(denied).toHaveLength(9);
  });

  test('Bookinfo scenarios: route edges say the match, the weight and the fault', () => {
    const jason = meshGraph(read('bookinfo/bookinfo.yaml', 'bookinfo/scenarios/virtual-service-reviews-test-v2.yaml'));
    expect(edges(jason, 'route').filter(e => e.startsWith('svc:bookinfo/reviews'))).toEqual([
      'svc:bookinfo/reviews → ver:bookinfo/reviews/v1: all', 'svc:bookinfo/reviews → ver:bookinfo/reviews/v2: end-user=jason',
    ]);
    const split = meshGraph(read('bookinfo/bookinfo.yaml', 'bookinfo/scenarios/virtual-service-reviews-50-v3.yaml'));
    expect(edges(split, 'route').filter(e => e.startsWith('svc:bookinfo/reviews'))).toEqual([
      'svc:bookinfo/reviews → ver:bookinfo/reviews/v1: 50%', 'svc:bookinfo/reviews → ver:bookinfo/reviews/v3: 50%',
    ]);
    const delay = meshGraph(read('bookinfo/bookinfo.yaml', 'bookinfo/scenarios/virtual-service-ratings-test-delay.yaml'));
    expect(edges(delay, 'route').filter(e => e.startsWith('svc:bookinfo/ratings'))).toEqual([
      'svc:bookinfo/ratings → ver:bookinfo/ratings/v1: end-user=jason · delay 7s | all',
    ]);
  });

  test('without policies every service is open (no access edges); mTLS is the default PERMISSIVE', () => {
    const graph = meshGraph(read('bookinfo/bookinfo.yaml'));
    expect(graph.namespaces.map(n => n.mtls)).toEqual(['PERMISSIVE (default)']);
    expect(graph.nodes.filter(n => n.kind === 'service').every(n => n.open)).toBe(true);
    expect(edges(graph, 'access')).toEqual([]);
  });

  test('findings sit on the node they concern; a route to an unknown host draws a missing node', () => {
    const docs = [...read('bookinfo/bookinfo.yaml'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v9' } }, { destination: { host: 'payments.example.com' } }] }] },
    }];
    const graph = meshGraph(docs);
    const reviews = graph.nodes.find(n => n.id === 'svc:bookinfo/reviews')!;
    expect(reviews.findings.map(f => `${f.code} ${f.message}`)).toEqual(expect.arrayContaining([expect.stringContaining('IST0101')]));
    expect(graph.nodes.find(n => n.id === 'ext:payments.example.com')).toEqual(expect.objectContaining({ missing: true }));
  });
});

describe('layout and page', () => {
  test.each([50, 500])('%i services: no two boxes overlap, versions sit beside their service', services => {
    const graph = meshGraph(syntheticMesh(services));
    const layout = layoutMesh(graph);
    const boxes = [...layout.boxes.entries()];
    expect(boxes).toHaveLength(graph.nodes.length);
    // Sorted by x, each box needs comparing only with those that start before it ends.
    boxes.sort((a, b) => a[1].x - b[1].x);
    const overlapping: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length && boxes[j][1].x < boxes[i][1].x + boxes[i][1].width; j++) {
        if (overlap(boxes[i][1], boxes[j][1])) overlapping.push(`${boxes[i][0]} / ${boxes[j][0]}`);
      }
    }
    expect(overlapping).toEqual([]);
    for (const n of graph.nodes.filter(v => v.parent !== undefined)) {
      const [v, s] = [layout.boxes.get(n.id)!, layout.boxes.get(n.parent!)!];
      expect(v.x).toBeGreaterThan(s.x + s.width);
    }
    // Columns wrap: the picture stays within a few screens in each direction.
    expect(layout.width / layout.height).toBeLessThan(services === 500 ? 8 : 4);
  });

  test('the page is self-contained and deterministic', () => {
    const graph = meshGraph(read('bookinfo-secure/bookinfo.yaml'));
    const html = renderMeshHtml(graph, { title: 'Bookinfo' });
    expect(renderMeshHtml(meshGraph(read('bookinfo-secure/bookinfo.yaml')), { title: 'Bookinfo' })).toBe(html);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'">');
    // The only URL is the SVG namespace; no src, href or url() loads anything.
    expect(html.match(/https?:\/\/[^\s"'<>]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html.match(/url\([^)]*\)/g)?.every(u => /^url\(#arrow-\w+\)$/.test(u))).toBe(true);
  });
});
