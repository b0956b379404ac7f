import { MtlsMode, PeerAuthentication } from '../../lib';
import { docsOf, findDoc, newChart } from '../support/constructs';

// The policy-wide mode is covered in peer-authentication.test.ts; port-level modes use a distinct generated enum.
describe('PeerAuthentication port-level modes', () => {
  test.each(Object.values(MtlsMode))('portLevelMtls mode %s is written with Istio\'s name', mode => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'db', { mode: MtlsMode.STRICT, selector: { app: 'db' }, portLevelMtls: { 5432: mode } });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'db').spec.portLevelMtls).toEqual({ 5432: { mode } });
  });
});
