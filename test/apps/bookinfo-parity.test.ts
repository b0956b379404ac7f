import * as fs from 'fs';
import * as path from 'path';
import { bookinfoApp } from '../../apps/bookinfo';
import { REFERENCE_DIR, keyOf, normalize, readReference, testNeeding, withoutProductionDefaults } from '../support/reference';

/**
 * Parity with Istio's Bookinfo sample and the Istio docs' Bookinfo security policies: every
 * upstream resource is synthesized with the same content. Intentional differences, and only these:
 * - every resource carries `metadata.namespace` (bookinfo), and principals name that namespace;
 * - volumes, volumeMounts and env are compared by key, as the API server merges them;
 * - our base files add the injected Namespace (upstream leaves it to `kubectl label`);
 * - the secure profile writes PeerAuthentication as security.istio.io/v1 (the docs use v1beta1;
 *   both are served, v1 is the storage version);
 * - the library's production defaults where upstream sets nothing (withoutProductionDefaults():
 *   no ServiceAccount token mount, RuntimeDefault seccomp, no privilege escalation, no capabilities,
 *   default resource requests);
 * - `bookinfo-gateway-viewer` of the authz task is for the Gateway API variant of Bookinfo, which
 *   this app does not use.
 */
const SAMPLE = 'istio/samples/bookinfo';
const BASE = ['platform/kube/bookinfo.yaml', 'networking/bookinfo-gateway.yaml', 'networking/virtual-service-all-v1.yaml'];
const SECURE_EXTRA = ['networking/destination-rule-all-mtls.yaml', 'authz-http-bookinfo-policies.yaml', 'mtls-migration-peerauthentication.yaml#0'];
const NOT_REPRODUCED = ['AuthorizationPolicy/bookinfo-gateway-viewer'];
/**
 * The files of upstream's networking/, written out so the suite has the same tests with or without
 * the reference (the first test checks the list against the folder).
 */
const NETWORKING = [
  'bookinfo-gateway.yaml', 'certmanager-gateway.yaml', 'destination-rule-all-mtls.yaml', 'destination-rule-all.yaml',
  'destination-rule-reviews.yaml', 'egress-rule-google-apis.yaml', 'fault-injection-details-v1.yaml', 'virtual-service-all-v1.yaml',
  'virtual-service-details-v2.yaml', 'virtual-service-ratings-db.yaml', 'virtual-service-ratings-mysql-vm.yaml',
  'virtual-service-ratings-mysql.yaml', 'virtual-service-ratings-test-abort.yaml', 'virtual-service-ratings-test-delay.yaml',
  'virtual-service-reviews-50-v3.yaml', 'virtual-service-reviews-80-20.yaml', 'virtual-service-reviews-90-10.yaml',
  'virtual-service-reviews-jason-v2-v3.yaml', 'virtual-service-reviews-test-v2.yaml', 'virtual-service-reviews-v2-v3.yaml',
  'virtual-service-reviews-v3.yaml',
];
/** `test`, or a skip that says so when ../shared/reference/istio/samples/bookinfo is absent. */
const parityTest = testNeeding(`reference/${SAMPLE}`);

/** Reads `file` or `file#index` (one document of it). */
function reference(source: string): Record<string, any>[] {
  const [file, index] = source.split('#');
  const docs = readReference(`${SAMPLE}/${file}`).filter(d => !NOT_REPRODUCED.includes(keyOf(d)));
  return index === undefined ? docs : [docs[Number(index)]];
}

function synthesize(secure: boolean): Map<string, Record<string, any>[]> {
  const { app, fileOf } = bookinfoApp({ secure });
  const files = new Map<string, Record<string, any>[]>();
  for (const chart of app.charts) files.set(fileOf(chart), [...files.get(fileOf(chart)) ?? [], ...chart.toJson()]);
  return files;
}

function expectParity(ours: Record<string, any>[], sources: string[], additions: string[]): void {
  const upstream = sources.flatMap(reference);
  expect(ours.map(keyOf).sort()).toEqual([...new Set([...upstream.map(keyOf), ...additions])].sort());
  for (const ref of upstream) {
    const mine = ours.find(d => keyOf(d) === keyOf(ref));
    const apiVersion = ref.kind === 'PeerAuthentication' ? 'security.istio.io/v1' : ref.apiVersion;
    expect({ key: keyOf(ref), doc: normalize(withoutProductionDefaults(mine!, ref)) })
      .toEqual({ key: keyOf(ref), doc: normalize({ ...ref, apiVersion }) });
  }
}

describe('Bookinfo parity with ../shared/reference/istio/samples/bookinfo', () => {
  const synthesized = synthesize(false);
  const networking = NETWORKING;
  const baseSources = [...BASE, 'networking/destination-rule-all.yaml'];
  /** Our file → the upstream files it reproduces. */
  const pairs: [string, string[]][] = [
    ['bookinfo.yaml', baseSources],
    ...networking.filter(f => !baseSources.includes(`networking/${f}`) || f === 'virtual-service-all-v1.yaml')
      .map(f => [`scenarios/${f}`, [`networking/${f}`]] as [string, string[]]),
  ];

  parityTest('covers all 52 upstream resources of platform/kube/bookinfo.yaml and networking/, one scenario file per networking file', () => {
    expect(fs.readdirSync(path.join(REFERENCE_DIR, SAMPLE, 'networking')).filter(f => f.endsWith('.yaml')).sort()).toEqual(NETWORKING);
    const upstream = new Set(pairs.flatMap(([, sources]) => sources.flatMap(s => reference(s).map(d => `${s}:${keyOf(d)}`))));
    expect(upstream.size).toBe(52);
    // Bookinfo behind HTTPS is the EKS tutorial's, not a file of upstream's networking/ (its own tests: bookinfo-routes.test.ts).
    expect(pairs.map(([file]) => file).sort()).toEqual([...synthesized.keys()].filter(f => f !== 'scenarios/bookinfo-https.yaml').sort());
  });

  parityTest.each(pairs)('%s reproduces %j', (file, sources) => {
    expectParity(synthesized.get(file) ?? [], sources, file === 'bookinfo.yaml' ? ['Namespace/bookinfo'] : []);
  });

  test('every namespaced resource is in the bookinfo namespace (certmanager-gateway in istio-system, as upstream)', () => {
    for (const [file, docs] of synthesized) {
      const expected = file === 'scenarios/certmanager-gateway.yaml' ? 'istio-system' : 'bookinfo';
      for (const doc of docs.filter(d => d.kind !== 'Namespace')) expect(`${file} ${keyOf(doc)} ${doc.metadata.namespace}`).toBe(`${file} ${keyOf(doc)} ${expected}`);
    }
  });
});

describe('Bookinfo secure profile parity with the Istio security tasks', () => {
  parityTest('bookinfo-secure reproduces the sample with mTLS destination rules, namespace STRICT mTLS and the authz-http policies', () => {
    const files = synthesize(true);
    expect([...files.keys()]).toEqual(['bookinfo.yaml']);
    expectParity(files.get('bookinfo.yaml')!, [...BASE, ...SECURE_EXTRA], ['Namespace/bookinfo']);
  });
});
