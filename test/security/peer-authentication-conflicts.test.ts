import { App, Chart } from 'cdk8s';
import { MeshNamespace, MeshService, MtlsMode, PeerAuthentication, formatMessage, writeManifests } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

/** The CDK0005 findings of a synthesis of `build`'s chart (namespace shop), as printed. */
function conflicts(build: (chart: Chart, ns: MeshNamespace) => void): string[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  build(chart, new MeshNamespace(chart, 'shop'));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const { messages } = writeManifests(app, { outdir: temporaryFolder('cdk8s-istio-pa-') });
    return messages.filter(m => m.code === 'CDK0005').map(formatMessage);
  } finally {
    stderr.mockRestore();
  }
}

describe('CDK0005: PeerAuthentications that compete for the same workloads', () => {
  test('requireMtls() beside another namespace-wide PeerAuthentication is reported on both', () => {
    const found = conflicts((chart, ns) => {
      ns.requireMtls();
      new PeerAuthentication(chart, 'legacy', { name: 'legacy', mode: MtlsMode.PERMISSIVE });
    });
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('(PeerAuthentication shop/default) The PeerAuthentications [default legacy] all apply to every workload of namespace "shop"');
    expect(found[1]).toContain('(PeerAuthentication shop/legacy)');
  });

  test('two policies selecting one service are reported; one namespace-wide and one selecting are not', () => {
    const twice = conflicts(chart => {
      const cart = new MeshService(chart, 'cart', { port: 8080, versions: { v1: { image: 'example/cart:1' } } });
      new PeerAuthentication(chart, 'a', { selector: cart, mode: MtlsMode.STRICT });
      new PeerAuthentication(chart, 'b', { selector: cart, mode: MtlsMode.PERMISSIVE });
    });
    expect(twice).toHaveLength(2);
    expect(twice[0]).toContain('The PeerAuthentications [a b] all apply to the workload "cart-v1" in namespace "shop"');
    expect(conflicts((chart, ns) => {
      const cart = new MeshService(chart, 'cart', { port: 8080, versions: { v1: { image: 'example/cart:1' } } });
      ns.requireMtls();
      new PeerAuthentication(chart, 'a', { selector: cart, mode: MtlsMode.PERMISSIVE });
    })).toEqual([]);
  });
});
