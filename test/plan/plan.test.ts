import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Doc, MeshNamespace, MeshService, VirtualService, synthesize } from '../../lib';
import { readManifests } from '../../lib/analysis/read-manifests';
import { ARGOCD_SYNC_WAVE, argoCdCommits, fluxCommits, fluxKustomizations } from '../../lib/plan/gitops';
import { ApplyPlan, planApply, stateAfter } from '../../lib/plan/plan';

const BOOKINFO = path.resolve(__dirname, '..', '..', 'dist', 'bookinfo');

/** The shop app with `reviews` at the given versions, its route weighted as given (`{ v1: 50, v2: 50 }`). */
function shop(versions: readonly string[], weights: Readonly<Record<string, number>>): Doc[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const reviews = new MeshService(chart, 'reviews', {
    port: 9080,
    versions: Object.fromEntries(versions.map(v => [v, { image: `registry.example.com/reviews:${v}` }])),
  });
  const entries = Object.entries(weights);
  const to = entries.map(([v, w]) => (entries.length > 1 ? reviews.version(v).withWeight(w) : reviews.version(v)));
  new VirtualService(chart, 'reviews-route', { name: 'reviews', hosts: [reviews], http: [{ to }] });
  return [...synthesize(app).documents.get(chart)!].map(o => o.doc);
}

/** Bookinfo's base app with scenario files of dist/bookinfo/scenarios/ applied on top, in order. */
function bookinfo(...scenarios: string[]): Doc[] {
  const files = [path.join(BOOKINFO, 'bookinfo.yaml'), ...scenarios.map(s => path.join(BOOKINFO, 'scenarios', `${s}.yaml`))];
  return files.flatMap(f => readManifests(f).map(i => i.doc));
}

/** The plan's phases as `phase: action Kind name (reason)` lines. */
function outline(plan: ApplyPlan): string[] {
  return plan.phases.flatMap(p => p.actions.map(a => `${p.name}: ${a.action} ${a.doc.kind} ${a.doc.metadata.name} (${a.reason})`));
}

/**
 * The routes of a state that would answer 503: a destination subset that no DestinationRule of the
 * state defines, or whose labels (with its Service's selector) no Deployment's pods carry.
 */
function brokenRoutes(docs: readonly Doc[]): string[] {
  const of = (kind: string) => docs.filter(d => d.kind === kind);
  const broken: string[] = [];
  for (const vs of of('VirtualService')) {
    for (const rule of vs.spec.http ?? []) {
      for (const { destination } of rule.route ?? []) {
        if (!destination.subset) continue;
        const where = `${vs.metadata.name} → ${destination.host}:${destination.subset}`;
        const subset = of('DestinationRule').filter(dr => dr.spec.host === destination.host)
          .flatMap(dr => dr.spec.subsets ?? []).find((s: Doc) => s.name === destination.subset);
        const service = of('Service').find(s => s.metadata.name === destination.host);
        const wanted = { ...service?.spec.selector, ...subset?.labels };
        const pods = of('Deployment').filter(d => Object.entries(wanted).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        if (!subset) broken.push(`${where}: no subset`);
        else if (pods.length === 0) broken.push(`${where}: no pods`);
      }
    }
  }
  return broken;
}

/** The broken routes after each phase of `plan` applied over `oldDocs`, by phase. */
function brokenAfterEachPhase(plan: ApplyPlan, oldDocs: readonly Doc[]): Record<string, string[]> {
  return Object.fromEntries(plan.phases.map((p, i) => [p.name, brokenRoutes(stateAfter(plan, oldDocs, i + 1))]));
}

describe('plan: the safe apply order of a change', () => {
  const v1 = shop(['v1'], { v1: 100 });
  const canary = shop(['v1', 'v2'], { v1: 50, v2: 50 });
  const v2Only = shop(['v1', 'v2'], { v2: 100 });
  const v1Removed = shop(['v2'], { v2: 100 });

  test('adding a version: its Deployment, then the subset, then the route; one commit', () => {
    const plan = planApply(v1, canary);
    expect(outline(plan)).toEqual([
      'workloads: create Deployment reviews-v2 (new)',
      'destinations: update DestinationRule reviews (adds subset v2)',
      'routes: update VirtualService reviews (routes to reviews:v1 50%, reviews:v2 50% (was reviews:v1))',
    ]);
    expect(plan.commits).toBe(1);
    expect(brokenAfterEachPhase(plan, v1)).toEqual({ workloads: [], destinations: [], routes: [] });
  });

  test('the check above fails the order the plan avoids: the route before its subset', () => {
    const route = planApply(v1, canary).phases.find(p => p.name === 'routes')!.actions.map(a => a.doc);
    expect(brokenRoutes([...v1.filter(d => d.kind !== 'VirtualService'), ...route])).toEqual(['reviews → reviews:v2: no subset']);
  });

  test('shifting all traffic to v2: the route moves first, the unused subset v1 goes at cleanup, in a second commit', () => {
    const plan = planApply(canary, v2Only);
    expect(outline(plan)).toEqual([
      'routes: update VirtualService reviews (routes to reviews:v2 (was reviews:v1 50%, reviews:v2 50%))',
      'cleanup: update DestinationRule reviews (removes subset v1)',
    ]);
    expect(plan.commits).toBe(2);
    expect(brokenAfterEachPhase(plan, canary)).toEqual({ routes: [], cleanup: [] });
  });

  test('removing a version no route uses: only its Deployment goes', () => {
    const plan = planApply(v2Only, v1Removed);
    expect(outline(plan)).toEqual(['cleanup: delete Deployment reviews-v1 (no longer in the new synthesis)']);
    expect(plan.commits).toBe(1);
  });

  test('replacing v1 by v2 in one change: the subset v1 stays until the route has left it', () => {
    const plan = planApply(v1, v1Removed);
    expect(outline(plan)).toEqual([
      'workloads: create Deployment reviews-v2 (new)',
      'destinations: update DestinationRule reviews (adds subset v2; keeps subset v1 until cleanup)',
      'routes: update VirtualService reviews (routes to reviews:v2 (was reviews:v1))',
      'cleanup: update DestinationRule reviews (removes subset v1)',
      'cleanup: delete Deployment reviews-v1 (no longer in the new synthesis)',
    ]);
    const kept = plan.phases[1].actions[0].doc;
    expect(kept.spec.subsets.map((s: Doc) => s.name)).toEqual(['v2', 'v1']);
    expect(plan.commits).toBe(2);
    expect(brokenAfterEachPhase(plan, v1)).toEqual({ workloads: [], destinations: [], routes: [], cleanup: [] });
  });

  test('after every phase the cluster holds exactly the new synthesis; no change, no phase', () => {
    const plan = planApply(v1, v1Removed);
    const byName = (docs: readonly Doc[]) => Object.fromEntries(docs.map(d => [`${d.kind}/${d.metadata.name}`, d]));
    expect(byName(stateAfter(plan, v1))).toEqual(byName(v1Removed));
    expect(planApply(v1, shop(['v1'], { v1: 100 }))).toEqual({ phases: [], unchanged: v1.length, commits: 1 });
  });

  test('a first deploy: everything is created, Namespace first, routes last', () => {
    const plan = planApply([], v1);
    expect(plan.phases.map(p => [p.name, p.actions.map(a => `${a.action} ${a.doc.kind}`)])).toEqual([
      ['workloads', ['create Namespace', 'create ServiceAccount', 'create Service', 'create Deployment']],
      ['destinations', ['create DestinationRule']],
      ['routes', ['create VirtualService']],
    ]);
  });
});

describe('plan: Gateway API routes move traffic as VirtualServices do', () => {
  const httpRoute = (backendRefs: Doc[]): Doc => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'reviews', namespace: 'shop' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs }] },
  });
  const version = (v: string): Doc[] => [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `reviews-${v}`, namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'reviews', version: v } } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `reviews-${v}`, namespace: 'shop' }, spec: { selector: { app: 'reviews', version: v }, ports: [{ port: 9080 }] } },
  ];
  const old = [...version('v1'), httpRoute([{ name: 'reviews-v1', port: 9080 }])];
  const canary = [...version('v1'), ...version('v2'),
    httpRoute([{ name: 'reviews-v1', port: 9080, weight: 50 }, { name: 'reviews-v2', port: 9080, weight: 50 }])];

  test('a canary: the new Deployment and Service first, the HTTPRoute after them (it was applied with the Deployment)', () => {
    expect(outline(planApply(old, canary))).toEqual([
      'workloads: create Service reviews-v2 (new)',
      'workloads: create Deployment reviews-v2 (new)',
      'routes: update HTTPRoute reviews (routes to reviews-v1:9080 weight 50, reviews-v2:9080 weight 50 (was reviews-v1:9080))',
    ]);
    expect(outline(planApply(canary, old))).toEqual([
      'routes: update HTTPRoute reviews (routes to reviews-v1:9080 (was reviews-v1:9080 weight 50, reviews-v2:9080 weight 50))',
      'cleanup: delete Deployment reviews-v2 (no longer in the new synthesis)',
      'cleanup: delete Service reviews-v2 (no longer in the new synthesis)',
    ]);
  });

  test('Argo CD puts the HTTPRoute in the routes wave, after the workloads', () => {
    const waves = argoCdCommits(planApply(old, canary), old, canary)[0]
      .map(d => `${d.kind} ${d.metadata.name}: ${d.metadata.annotations[ARGOCD_SYNC_WAVE]}`);
    expect(waves).toEqual(expect.arrayContaining(['Deployment reviews-v2: 0', 'Service reviews-v2: 0', 'HTTPRoute reviews: 2']));
  });
});

describe('plan: the Bookinfo scenario sequence of the Istio tasks', () => {
  test('request routing and traffic shifting change only routes: one phase each (every subset is defined by the base app)', () => {
    const sequence = [
      [], ['virtual-service-reviews-test-v2'], ['virtual-service-reviews-90-10'], ['virtual-service-reviews-50-v3'],
      ['virtual-service-reviews-v3'], ['virtual-service-all-v1'],
    ];
    const steps = sequence.slice(1).map((s, i) => outline(planApply(bookinfo(...sequence[i]), bookinfo(...s))));
    expect(steps).toEqual([
      ['routes: update VirtualService reviews (routes to reviews:v2, reviews:v1 (was reviews:v1))'],
      ['routes: update VirtualService reviews (routes to reviews:v1 90%, reviews:v2 10% (was reviews:v2, reviews:v1))'],
      ['routes: update VirtualService reviews (routes to reviews:v1 50%, reviews:v3 50% (was reviews:v1 90%, reviews:v2 10%))'],
      ['routes: update VirtualService reviews (routes to reviews:v3 (was reviews:v1 50%, reviews:v3 50%))'],
      ['routes: update VirtualService reviews (routes to reviews:v1 (was reviews:v3))'],
    ]);
  });

  test('fault injection changes a route without moving it', () => {
    expect(outline(planApply(bookinfo(), bookinfo('virtual-service-ratings-test-delay')))).toEqual([
      'routes: update VirtualService ratings (changes spec.http (same destinations: ratings:v1))',
    ]);
  });

  test('egress to googleapis: ServiceEntry, then its DestinationRule, then the route; removed in the reverse order', () => {
    const egress = 'egress-rule-google-apis';
    expect(outline(planApply(bookinfo(), bookinfo(egress)))).toEqual([
      'workloads: create ServiceEntry googleapis (new)',
      'destinations: create DestinationRule originate-tls-for-googleapis (defines no subsets)',
      'routes: create VirtualService rewrite-port-for-googleapis (routes to www.googleapis.com)',
    ]);
    const removal = planApply(bookinfo(egress), bookinfo());
    expect(outline(removal)).toEqual([
      'routes: delete VirtualService rewrite-port-for-googleapis (no longer in the new synthesis)',
      'cleanup: delete ServiceEntry googleapis (no longer in the new synthesis)',
      'cleanup: delete DestinationRule originate-tls-for-googleapis (no longer in the new synthesis)',
    ]);
    expect(removal.commits).toBe(2);
  });

  test('mTLS for every service changes the DestinationRules only', () => {
    const plan = planApply(bookinfo(), bookinfo('destination-rule-all-mtls'));
    expect(plan.phases.map(p => p.name)).toEqual(['destinations']);
    expect(plan.phases[0].actions.map(a => a.reason)).toEqual(Array(4).fill('changes spec.trafficPolicy'));
  });
});

describe('plan as GitOps commits', () => {
  const v1 = shop(['v1'], { v1: 100 });
  const v2 = shop(['v2'], { v2: 100 });
  const plan = planApply(v1, v2);

  test('Argo CD: sync waves 0 (workloads), 1 (DestinationRules), 2 (VirtualServices); the removals in a second commit', () => {
    const commits = argoCdCommits(plan, v1, v2);
    const waves = commits.map(docs => docs.map(d => `${d.metadata.annotations[ARGOCD_SYNC_WAVE]} ${d.kind} ${d.metadata.name}`).sort());
    expect(waves).toEqual([
      ['0 Deployment reviews-v1', '0 Deployment reviews-v2', '0 Namespace shop', '0 Service reviews', '0 ServiceAccount reviews',
        '1 DestinationRule reviews', '2 VirtualService reviews'],
      ['0 Deployment reviews-v2', '0 Namespace shop', '0 Service reviews', '0 ServiceAccount reviews',
        '1 DestinationRule reviews', '2 VirtualService reviews'],
    ]);
    const subsets = commits.map(docs => docs.find(d => d.kind === 'DestinationRule')!.spec.subsets.map((s: Doc) => s.name));
    expect(subsets).toEqual([['v2', 'v1'], ['v2']]);
    expect(commits.map(brokenRoutes)).toEqual([[], []]);
  });

  test('Flux: one Kustomization per phase, each depending on the one before, waiting for health and pruning', () => {
    const commits = fluxCommits(plan, v1, v2);
    expect(commits.map(c => Object.fromEntries(Object.entries(c).map(([k, docs]) => [k, docs.length])))).toEqual([
      { workloads: 5, destinations: 1, routes: 1 },
      { workloads: 4, destinations: 1, routes: 1 },
    ]);
    expect(fluxKustomizations(commits, { name: 'shop', path: './deploy/shop/' }).map(k => k.spec)).toEqual([
      expect.objectContaining({ path: './deploy/shop/workloads', prune: true, wait: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } }),
      expect.objectContaining({ path: './deploy/shop/destinations', dependsOn: [{ name: 'shop-workloads' }] }),
      expect.objectContaining({ path: './deploy/shop/routes', dependsOn: [{ name: 'shop-destinations' }] }),
    ]);
  });
});
