import { ServiceEntry, ServiceEntryLocation, ServiceEntryProps, ServiceEntryResolution } from '../../lib';
import { docsOf, findDoc, newChart } from '../support/constructs';

/** The rendered spec of a ServiceEntry for `api.example.com:443` with the given resolution and location. */
function specOf(props: Pick<ServiceEntryProps, 'resolution' | 'location'>): any {
  const { chart } = newChart();
  const endpoints = props.resolution === ServiceEntryResolution.NONE ? undefined : [{ address: '10.0.0.1' }];
  new ServiceEntry(chart, 'se', { hosts: ['api.example.com'], ports: [{ number: 443, protocol: 'TLS' }], endpoints, ...props });
  return findDoc(docsOf(chart), 'ServiceEntry', 'se').spec;
}

describe('ServiceEntry enums are written with Istio\'s names', () => {
  test.each(Object.values(ServiceEntryResolution))('resolution %s', resolution => {
    expect(specOf({ resolution }).resolution).toBe(resolution);
  });

  test.each(Object.values(ServiceEntryLocation))('location %s', location => {
    expect(specOf({ resolution: ServiceEntryResolution.DNS, location }).location).toBe(location);
  });
});
