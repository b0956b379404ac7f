import * as fs from 'fs';
import { ApiObject, Chart } from 'cdk8s';
import { writeManifests } from '../../lib';
import { temporaryFolder, testApp } from '../support/temporary-folders';

/**
 * `kubectl apply` creates the items of a list kind (`v1 List`, `ConfigMapList`), not the list: a
 * synthesis checks and analyzes each item as it would any object, named by the list's construct.
 */
function listApp(items: unknown[], kind = 'List'): { app: ReturnType<typeof testApp>; outdir: string } {
  const app = testApp();
  const chart = new Chart(app, 'bundle', { namespace: 'shop' });
  new ApiObject(chart, 'list', { apiVersion: 'v1', kind, metadata: {}, items } as never);
  return { app, outdir: temporaryFolder('list-items-') };
}

const configMap = (name: string, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { a: 'b' }, ...extra });

describe('the items of a list kind', () => {
  test('are checked: a bad item fails the synthesis before writing, naming the list\'s construct', () => {
    const { app, outdir } = listApp([configMap('settings'), configMap('Bad_Name'),
      { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: {} }]);
    let message = '';
    try {
      writeManifests(app, { outdir });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\(ConfigMap shop\/Bad_Name\) Schema validation error: metadata\.name: .*\[metadata\.name, construct bundle\/list\]/);
    expect(message).toMatch(/Error \[CDK0011\] \(Ingress shop\/web\) extensions\/v1beta1 Ingress is no longer served .*\[apiVersion, construct bundle\/list\]/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('hold no secret value: a Secret with data inside a List is refused too', () => {
    const { app, outdir } = listApp([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'hunter22' } }]);
    expect(() => writeManifests(app, { outdir })).toThrow(/Secret.*db/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('are analyzed with the rest of the app: two items with one identity are one object too many', () => {
    const { app, outdir } = listApp([configMap('settings'), configMap('settings')], 'ConfigMapList');
    expect(() => writeManifests(app, { outdir })).toThrow(/ConfigMap "settings" is also defined by bundle\/list/);
  });

  test('valid items are written inside their list, and the list itself is not reported', () => {
    const { app, outdir } = listApp([configMap('settings'), configMap('flags')]);
    const { messages } = writeManifests(app, { outdir });
    expect(messages.filter(m => m.resource.kind === 'List')).toEqual([]);
    expect(fs.readFileSync(`${outdir}/bundle.yaml`, 'utf8')).toMatch(/kind: List\n[\s\S]*name: flags/);
  });
});
