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

describe('values outside the enums, from JavaScript or a cast, are refused instead of left out', () => {
  const make = (props: object) => () => {
    const { chart } = newChart();
    new ServiceEntry(chart, 'se', {
      hosts: ['api.example.com'], ports: [{ number: 443, protocol: 'TLS' }], resolution: ServiceEntryResolution.DNS, ...props,
    } as ServiceEntryProps);
  };

  test('a resolution in the wrong case, or none at all (Istio would fall back to NONE)', () => {
    expect(make({ resolution: 'dns' })).toThrow('test/se: resolution: "dns" is not a member of ServiceEntryResolution '
      + '("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"). Fix: use ServiceEntryResolution.NONE');
    expect(make({ resolution: undefined })).toThrow('resolution: undefined is not a member of ServiceEntryResolution');
  });

  test('a misspelt location', () => {
    expect(make({ location: 'MESH_EXTRNAL' })).toThrow('test/se: location: "MESH_EXTRNAL" is not a member of ServiceEntryLocation');
  });

  test('a port protocol Istio does not know, or in lower case', () => {
    expect(make({ ports: [{ number: 443, protocol: 'HTPS' }] })).toThrow('test/se: ports[0].protocol: "HTPS" is not a ServiceEntry port '
      + 'protocol. Fix: use one of HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, MONGO, MYSQL, REDIS');
    expect(make({ ports: [{ number: 443, protocol: 'https' }] })).toThrow('ports[0].protocol: "https" is not a ServiceEntry port protocol. '
      + 'Fix: write "HTTPS"');
  });
});
