import * as fs from 'fs';
import { ApiObject, Chart } from 'cdk8s';
import { writeManifests } from '../../lib';
import { temporaryFolder, testApp } from '../support/temporary-folders';

/**
 * Another project's custom resource has no schema here, but the API server still checks its
 * metadata as for every kind: a synthesis refuses what it would refuse, before writing.
 */
describe('the metadata of a kind without a schema', () => {
  test('a cert-manager Certificate named in upper case fails the synthesis, naming the construct and the field', () => {
    const app = testApp();
    const chart = new Chart(app, 'tls', { namespace: 'shop' });
    new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'Shop_TLS' }, spec: { secretName: 'shop-tls' } });
    const outdir = temporaryFolder('unknown-kind-metadata-');
    expect(() => writeManifests(app, { outdir })).toThrow(
      /Error \[IST0106\] \(Certificate shop\/Shop_TLS\) Schema validation error: metadata\.name: .*DNS-1123 subdomain.*Fix: rename the object, e\.g\. "shop-tls"\. \[metadata\.name, construct tls\/cert\]/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a well-named one is written, reported once as CDK0001', () => {
    const app = testApp();
    const chart = new Chart(app, 'tls', { namespace: 'shop' });
    new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'shop-tls', labels: { app: 'shop' } }, spec: { secretName: 'shop-tls' } });
    const outdir = temporaryFolder('unknown-kind-metadata-');
    const { messages } = writeManifests(app, { outdir });
    expect(fs.readFileSync(`${outdir}/tls.yaml`, 'utf8')).toContain('kind: Certificate');
    expect(messages.filter(m => m.code === 'CDK0001').map(m => m.message))
      .toEqual(['not validated beyond its metadata: no schema for cert-manager.io/v1 Certificate']);
  });
});
