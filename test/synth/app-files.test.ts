import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, YamlOutputType } from 'cdk8s';
import * as yaml from 'js-yaml';
import { MeshNamespace, MeshService, VirtualService } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

/**
 * `app.synth()` of an app with library constructs writes what the pipeline rendered instead of
 * running cdk8s's own synth; a user must see the same files cdk8s would write. Each case builds
 * the same app twice and compares with cdk8s's own `App.prototype.synth` run on the second copy.
 */

/** A shop chart of library constructs, a plain chart, and optionally a nested chart and a cross-chart dependency. */
function shopApp(props: AppProps, options: { nested?: boolean; dependency?: boolean } = {}): App {
  const app = new App(props);
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(shop, 'shop');
  const api = new MeshService(shop, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' }, v2: { image: 'example/api:2' } } });
  new VirtualService(shop, 'api-route', { hosts: [api], http: [{ to: [api.version('v1').withWeight(80), api.version('v2').withWeight(20)] }] });
  const config = new Chart(app, 'config', { namespace: 'shop' });
  const settings = new ApiObject(config, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
  if (options.nested) {
    new ApiObject(new Chart(config, 'inner', { namespace: 'shop' }), 'inner', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' } });
  }
  if (options.dependency) shop.addDependency(settings);
  return app;
}

/** Every file under `dir` (relative paths, sorted) with its parsed content. */
function filesIn(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const file = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        out[file] = file.endsWith('.json') ? JSON.parse(text) : yaml.loadAll(text);
      }
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The files `app.synth()` writes and the files cdk8s's own synth writes for the same app. */
function bothSyntheses(props: AppProps, options: { nested?: boolean; dependency?: boolean } = {}) {
  const root = temporaryFolder('app-files-');
  const ours = path.join(root, 'library');
  const stock = path.join(root, 'stock');
  shopApp({ ...props, outdir: ours }, options).synth();
  App.prototype.synth.call(shopApp({ ...props, outdir: stock }, options));
  return { ours: filesIn(ours), stock: filesIn(stock) };
}

describe('app.synth() writes the files cdk8s writes', () => {
  test('one file per chart (the default), named after the chart', () => {
    const { ours, stock } = bothSyntheses({});
    expect(Object.keys(ours)).toEqual(['config.k8s.yaml', 'shop.k8s.yaml']);
    expect(ours).toEqual(stock);
  });

  test('nested charts and dependencies number the files in dependency order', () => {
    const { ours, stock } = bothSyntheses({}, { nested: true, dependency: true });
    expect(Object.keys(ours)).toEqual([expect.stringMatching(/^0000-config-inner-[0-9a-f]{8}\.k8s\.yaml$/), '0001-config.k8s.yaml', '0002-shop.k8s.yaml']);
    expect(ours).toEqual(stock);
  });

  test.each([
    ['one file for the app', YamlOutputType.FILE_PER_APP],
    ['one file per resource', YamlOutputType.FILE_PER_RESOURCE],
    ['a folder per chart, a file per resource', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('%s', (_, yamlOutputType) => {
    const { ours, stock } = bothSyntheses({ yamlOutputType, outputFileExtension: '.yml' }, { nested: true });
    expect(Object.keys(ours).length).toBeGreaterThan(0);
    expect(Object.keys(ours).every(f => f.endsWith('.yml'))).toBe(true);
    expect(ours).toEqual(stock);
  });

  test('construct-metadata.json, as cdk8s synth asks for its validation plugins', () => {
    const { ours, stock } = bothSyntheses({ recordConstructMetadata: true });
    expect(ours['construct-metadata.json']).toMatchObject({ version: '1.0.0', resources: { settings: { path: 'config/settings' } } });
    expect(ours).toEqual(stock);
  });

  test('synthYaml() holds the documents of every chart, in order', () => {
    const ours = yaml.loadAll(shopApp({}).synthYaml());
    const stock = yaml.loadAll(App.prototype.synthYaml.call(shopApp({})));
    expect(ours.map(d => (d as { kind: string }).kind)).toContain('VirtualService');
    expect(ours).toEqual(stock);
  });
});
