import * as fs from 'fs';
import * as path from 'path';
import { bookinfoApp } from '../../apps/bookinfo';
import { REFERENCE_DIR, keyOf, normalize, readReference, referenceAvailable } from '../support/reference';

/**
 * Parity with Istio's Bookinfo sample and the Istio docs' Bookinfo security policies: every
 * upstream resource is synthesized with the same content. Intentional differences, and only these:
 * - every resource carries `metadata.namespace` (bookinfo), and principals name that namespace;
 * - volumes, volumeMounts and env are compared by key, as the API server merges them;
 * - our base files add the injected Namespace (upstream leaves it to `kubectl label`);
 * - the secure profile writes PeerAuthentication as security.istio.io/v1 (the docs use v1beta1;
 *   both are served, v1 is the storage version);
 * - `bookinfo-gateway-viewer` of the authz task is for the Gateway API variant of Bookinfo, which
 *   this app does not use.
 */
const SAMPLE = 'istio/samples/bookinfo';
const BASE = ['platform/kube/bookinfo.yaml', 'networking/bookinfo-gateway.yaml', 'networking/virtual-service-all-v1.yaml'];
const SECURE_EXTRA = ['networking/destination-rule-all-mtls.yaml', 'authz-http-bookinfo-policies.yaml', 'mtls-migration-peerauthentication.yaml#0'];
const NOT_REPRODUCED = ['AuthorizationPolicy/bookinfo-gateway-viewer'];

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
    expect({ key: keyOf(ref), doc: normalize(mine) }).toEqual({ key: keyOf(ref), doc: normalize({ ...ref, apiVersion }) });
  }
}

const suite = referenceAvailable() ? describe : describe.skip;

suite('Bookinfo parity with ../shared/reference/istio/samples/bookinfo', () => {
  const synthesized = synthesize(false);
  const networking = fs.existsSync(REFERENCE_DIR) ? fs.readdirSync(path.join(REFERENCE_DIR, SAMPLE, 'networking')).filter(f => f.endsWith('.yaml')).sort() : [];
  const baseSources = [...BASE, 'networking/destination-rule-all.yaml'];
  /** Our file → the upstream files it reproduces. */
  const pairs: [string, string[]][] = [
    ['bookinfo.yaml', baseSources],
    ...networking.filter(f => !baseSources.includes(`networking/${f}`) || f === 'virtual-service-all-v1.yaml')
      .map(f => [`scenarios/${f}`, [`networking/${f}`]] as [string, string[]]),
  ];

  test('covers all 52 upstream resources of platform/kube/bookinfo.yaml and networking/, one scenario file per networking file', () => {
    const upstream = new Set(pairs.flatMap(([, sources]) => sources.flatMap(s => reference(s).map(d => `${s}:${keyOf(d)}`))));
    expect(upstream.size).toBe(52);
    expect(pairs.map(([file]) => file).sort()).toEqual([...synthesized.keys()].sort());
  });

  test.each(pairs)('%s reproduces %j', (file, sources) => {
    expectParity(synthesized.get(file) ?? [], sources, file === 'bookinfo.yaml' ? ['Namespace/bookinfo'] : []);
  });

  test('every namespaced resource is in the bookinfo namespace (certmanager-gateway in istio-system, as upstream)', () => {
    for (const [file, docs] of synthesized) {
      const expected = file === 'scenarios/certmanager-gateway.yaml' ? 'istio-system' : 'bookinfo';
      for (const doc of docs.filter(d => d.kind !== 'Namespace')) expect(`${file} ${keyOf(doc)} ${doc.metadata.namespace}`).toBe(`${file} ${keyOf(doc)} ${expected}`);
    }
  });
});

suite('Bookinfo secure profile parity with the Istio security tasks', () => {
  test('bookinfo-secure reproduces the sample with mTLS destination rules, namespace STRICT mTLS and the authz-http policies', () => {
    const files = synthesize(true);
    expect([...files.keys()]).toEqual(['bookinfo.yaml']);
    expectParity(files.get('bookinfo.yaml')!, [...BASE, ...SECURE_EXTRA], ['Namespace/bookinfo']);
  });
});
