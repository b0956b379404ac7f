import * as fs from 'fs';
import * as path from 'path';
import { bookinfoApp } from '../../apps/bookinfo';
import { REFERENCE_DIR, keyOf, normalize, readReference, referenceAvailable } from '../support/reference';

/**
 * Parity with Istio's Bookinfo sample: every upstream resource is synthesized with the same
 * content (namespace aside; volumes, mounts and env compared by key, as the API server merges
 * them). The only resources we add are listed in INTENTIONAL_ADDITIONS.
 */
const SAMPLE = 'istio/samples/bookinfo';
/** Upstream files that make up our base `bookinfo.yaml`. */
const BASE_SOURCES = ['platform/kube/bookinfo.yaml', 'networking/bookinfo-gateway.yaml', 'networking/destination-rule-all.yaml', 'networking/virtual-service-all-v1.yaml'];
/** What we add on purpose: the injected namespace the sample leaves to `kubectl label`. */
const INTENTIONAL_ADDITIONS: Record<string, string[]> = { 'bookinfo.yaml': ['Namespace/bookinfo'] };

const suite = referenceAvailable() ? describe : describe.skip;

suite('Bookinfo parity with ../shared/reference/istio/samples/bookinfo', () => {
  const { app, fileOf } = bookinfoApp();
  const synthesized = new Map<string, Record<string, any>[]>();
  for (const chart of app.charts) synthesized.set(fileOf(chart), [...synthesized.get(fileOf(chart)) ?? [], ...chart.toJson()]);

  const networking = fs.existsSync(REFERENCE_DIR) ? fs.readdirSync(path.join(REFERENCE_DIR, SAMPLE, 'networking')).filter(f => f.endsWith('.yaml')).sort() : [];
  /** Our file → the upstream files it reproduces. */
  const pairs: [string, string[]][] = [
    ['bookinfo.yaml', BASE_SOURCES],
    ...networking.filter(f => !BASE_SOURCES.includes(`networking/${f}`) || f === 'virtual-service-all-v1.yaml')
      .map(f => [`scenarios/${f}`, [`networking/${f}`]] as [string, string[]]),
  ];

  test('covers all 52 upstream resources and every networking scenario', () => {
    const upstream = new Set(pairs.flatMap(([, sources]) => sources).flatMap(s => readReference(`${SAMPLE}/${s}`).map(d => `${s}:${keyOf(d)}`)));
    expect(upstream.size).toBe(52);
    expect(pairs.map(([file]) => file).sort()).toEqual([...synthesized.keys()].sort());
  });

  test.each(pairs)('%s reproduces %j', (file, sources) => {
    const ours = synthesized.get(file) ?? [];
    const reference = sources.flatMap(s => readReference(`${SAMPLE}/${s}`));
    const expectedKeys = [...new Set([...reference.map(keyOf), ...INTENTIONAL_ADDITIONS[file] ?? []])].sort();
    expect(ours.map(keyOf).sort()).toEqual(expectedKeys);
    for (const ref of reference) {
      const mine = ours.find(d => keyOf(d) === keyOf(ref) && d.apiVersion === ref.apiVersion);
      expect({ key: keyOf(ref), doc: normalize(mine) }).toEqual({ key: keyOf(ref), doc: normalize(ref) });
    }
  });

  test('every namespaced resource is in the bookinfo namespace (certmanager-gateway in istio-system, as upstream)', () => {
    for (const [file, docs] of synthesized) {
      const expected = file === 'scenarios/certmanager-gateway.yaml' ? 'istio-system' : 'bookinfo';
      for (const doc of docs.filter(d => d.kind !== 'Namespace')) expect(`${file} ${keyOf(doc)} ${doc.metadata.namespace}`).toBe(`${file} ${keyOf(doc)} ${expected}`);
    }
  });
});
