import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { APPS, servedApps } from '../../apps/synth-all';
import { Destination, MeshNamespace, MeshService, VirtualService, synthesize, writeManifests } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

function tempDir(): string {
  return temporaryFolder('cdk8s-istio-synth-');
}

/** A mesh whose route names a host no Service or ServiceEntry provides (IST0101). */
function brokenApp(): App {
  const app = new App({ outdir: tempDir() });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  new VirtualService(chart, 'vs', { hosts: ['payments.example.com'], http: [{ to: [Destination.toHost('payments.example.com')] }] });
  return app;
}

describe('analysis at synthesis', () => {
  test('writeManifests fails with code, resource, message, field and construct path, and writes nothing', () => {
    const outdir = tempDir();
    expect(() => writeManifests(brokenApp(), { outdir })).toThrow(
      'Synthesis failed with 1 problem(s):\n  - Error [IST0101] (VirtualService shop/vs) Referenced host not found: "payments.example.com". '
      + 'Deploy the Service, add a ServiceEntry for it, or fix the host. [spec.http[0].route[0].destination.host, construct shop/vs]');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('app.synth() fails the same way', () => {
    expect(() => brokenApp().synth()).toThrow(/\[IST0101\] \(VirtualService shop\/vs\) Referenced host not found: "payments\.example\.com"\..*\[spec\.http\[0\]\.route\[0\]\.destination\.host, construct shop\/vs\]/);
  });

  test('warnings are printed and returned, and do not fail the synth', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' } } });
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(50)] }] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { messages, files } = writeManifests(app, { outdir: tempDir() });
      expect(files).toEqual(['shop.yaml']);
      expect(messages.map(m => `${m.level} ${m.code} ${m.field}`)).toEqual(['Warning KIA1104 spec.http[0].route[0].weight']);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('Warning [KIA1104] (VirtualService shop/vs)'));
    } finally {
      stderr.mockRestore();
    }
  });

  test('charts in subfolders are overlays: analyzed one at a time on top of the top-level charts', () => {
    const build = () => {
      const app = new App();
      const base = new Chart(app, 'base', { namespace: 'shop' });
      new MeshNamespace(base, 'shop');
      const svc = new MeshService(base, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' }, v2: { image: 'example/api:2' } } });
      for (const v of ['v1', 'v2']) new VirtualService(new Chart(app, `to-${v}`, { namespace: 'shop' }), 'route', { name: `api-${v}`, hosts: [svc], http: [{ to: [svc.version(v)] }] });
      return app;
    };
    expect(() => writeManifests(build(), { outdir: tempDir(), fileOf: c => (c.node.id === 'base' ? 'base.yaml' : `scenarios/${c.node.id}.yaml`) })).not.toThrow();
    expect(() => writeManifests(build(), { outdir: tempDir() })).toThrow(/\[IST0109\] \(VirtualService shop\/api-v1\) The VirtualServices shop\/api-v1,shop\/api-v2 associated with mesh gateway define the same host/);
  });

  test('two objects with one identity in the applied set fail the synth, naming both constructs', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' } } });
    new VirtualService(chart, 'a', { name: 'api', hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    new VirtualService(new Chart(app, 'more', { namespace: 'shop' }), 'b', { name: 'api', hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    expect(() => writeManifests(app, { outdir: tempDir() })).toThrow('more/b: metadata.name: VirtualService "api" is also defined by shop/a, and applying both keeps only one. Fix: give one of them another name');
  });

  test('after writeManifests, app.synth() of the same app still runs the analysis', () => {
    const app = brokenApp();
    expect(() => writeManifests(app, { outdir: tempDir() })).toThrow(/IST0101/);
    expect(() => app.synth()).toThrow(/IST0101/);
  });

  test.each(APPS.map(a => [a.name, a] as const))('%s analyzes clean: no finding in the base or any overlay', (_name, entry) => {
    const { app, fileOf } = entry.build({}, servedApps(APPS));
    const overlays = app.charts.filter(chart => fileOf(chart).includes('/'));
    expect(synthesize(app, { overlays }).messages).toEqual([]);
  });
});
