import { MeshConfigError, ServiceEntry, ServiceEntryLocation, ServiceEntryProps, ServiceEntryResolution } from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

const BASE: ServiceEntryProps = {
  hosts: ['api.example.com'],
  ports: [{ number: 443, protocol: 'HTTPS' }],
  resolution: ServiceEntryResolution.DNS,
};

function specOf(props: Partial<ServiceEntryProps>): any {
  const { chart } = newChart();
  new ServiceEntry(chart, 'se', { ...BASE, ...props });
  return findDoc(docsOf(chart), 'ServiceEntry', 'se').spec;
}

function entryError(props: Partial<ServiceEntryProps>, field: string, ...fragments: string[]): void {
  const { chart } = newChart();
  expectMeshError(() => new ServiceEntry(chart, 'se', { ...BASE, ...props }), 'test/se', field, ...fragments);
}

describe('ServiceEntry rendering', () => {
  test('hosts, ports named after the protocol, resolution; location only when set', () => {
    const { chart } = newChart();
    const entry = new ServiceEntry(chart, 'se', BASE);
    expect(entry.hosts).toEqual(['api.example.com']);
    const doc = findDoc(docsOf(chart), 'ServiceEntry', 'se');
    expect(doc.apiVersion).toBe('networking.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'se', namespace: 'shop' });
    expect(doc.spec).toEqual({
      hosts: ['api.example.com'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'DNS',
    });
    expect(doc.spec).not.toHaveProperty('location');
    expect(doc.spec).not.toHaveProperty('endpoints');
    expect(doc.spec).not.toHaveProperty('addresses');
  });

  test('location, addresses, exportTo, port name and targetPort when set', () => {
    expect(specOf({
      name: undefined,
      location: ServiceEntryLocation.MESH_EXTERNAL,
      addresses: ['240.0.0.1'],
      exportTo: ['.'],
      ports: [{ number: 443, protocol: 'TLS', name: 'tls-api', targetPort: 8443 }],
    })).toEqual({
      hosts: ['api.example.com'],
      addresses: ['240.0.0.1'],
      ports: [{ number: 443, name: 'tls-api', protocol: 'TLS', targetPort: 8443 }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
    });
    expect(specOf({ location: ServiceEntryLocation.MESH_INTERNAL }).location).toBe('MESH_INTERNAL');
  });

  test('STATIC endpoints with only the fields that are set; CIDR addresses allowed', () => {
    const spec = specOf({
      hosts: ['db.internal'],
      ports: [{ number: 5432, protocol: 'TCP' }],
      resolution: ServiceEntryResolution.STATIC,
      addresses: ['10.0.0.0/24'],
      endpoints: [{ address: '10.0.0.5' }, { address: '10.0.0.6', ports: { tcp: 15432 }, labels: { zone: 'b' } }],
    });
    expect(spec.endpoints).toEqual([{ address: '10.0.0.5' }, { address: '10.0.0.6', ports: { tcp: 15432 }, labels: { zone: 'b' } }]);
    expect(spec.resolution).toBe('STATIC');
    expect(spec.addresses).toEqual(['10.0.0.0/24']);
  });

  test('NONE with a CIDR and no endpoints, DNS_ROUND_ROBIN with one endpoint', () => {
    expect(specOf({ resolution: ServiceEntryResolution.NONE, addresses: ['192.168.0.0/16'] }).resolution).toBe('NONE');
    expect(specOf({ resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'lb.example.com' }] }).endpoints)
      .toEqual([{ address: 'lb.example.com' }]);
  });

  test('a wildcard domain host is allowed', () => {
    expect(specOf({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.NONE }).hosts).toEqual(['*.example.com']);
  });

  // Istio rejects a ServiceEntry whose ports repeat a name.
  test('ports never share a name (Istio rejects duplicates)', () => {
    const { chart } = newChart();
    let names: string[];
    try {
      new ServiceEntry(chart, 'se', { ...BASE, ports: [{ number: 80, protocol: 'HTTP' }, { number: 8080, protocol: 'HTTP' }] });
      names = findDoc(docsOf(chart), 'ServiceEntry', 'se').spec.ports.map((p: any) => p.name);
    } catch (e) {
      expect(e).toBeInstanceOf(MeshConfigError);
      expect((e as MeshConfigError).field).toMatch(/^ports\[1\]/);
      return;
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('ServiceEntry errors', () => {
  test('resolution NONE with endpoints', () => {
    entryError({ resolution: ServiceEntryResolution.NONE, endpoints: [{ address: '1.2.3.4' }] }, 'endpoints', 'resolution NONE', 'remove endpoints');
  });

  test('DNS_ROUND_ROBIN with two endpoints', () => {
    entryError({ resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] },
      'endpoints', 'at most one endpoint', 'use resolution DNS');
  });

  test.each([ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN])('a wildcard host with %s and no endpoints', resolution => {
    entryError({ resolution, hosts: ['*.example.com'] }, 'hosts', `wildcard host *.example.com cannot be resolved through DNS (resolution ${resolution})`,
      'use resolution NONE');
  });

  test.each([ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN])('a unix:// endpoint with %s', resolution => {
    entryError({ resolution, endpoints: [{ address: 'unix:///var/run/api.sock' }] }, 'endpoints[0].address', 'is a socket',
      'use resolution STATIC');
  });

  test('STATIC without endpoints', () => {
    entryError({ resolution: ServiceEntryResolution.STATIC }, 'endpoints', 'resolution STATIC needs endpoints');
  });

  test.each([ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN])('CIDR address with %s', resolution => {
    entryError({ resolution, addresses: ['240.0.0.1', '10.0.0.0/8'] }, 'addresses', 'CIDR address 10.0.0.0/8 is only allowed with resolution NONE or STATIC');
  });

  test('duplicate port', () => {
    entryError({ ports: [{ number: 443, protocol: 'HTTPS' }, { number: 80, protocol: 'HTTP' }, { number: 443, protocol: 'TLS' }] },
      'ports[2].number', 'port 443 is listed twice');
  });

  test.each([0, 65536, 1.5])('port number %p', number => {
    entryError({ ports: [{ number, protocol: 'TCP' }] }, 'ports[0].number', `${number} is not a port number`);
  });

  test("'*' host", () => {
    entryError({ hosts: ['api.example.com', '*'] }, 'hosts', 'the host "*" is not allowed', '*.example.com');
  });

  test('no hosts', () => {
    entryError({ hosts: [] }, 'hosts', 'at least one host');
  });

  test('no ports', () => {
    entryError({ ports: [] }, 'ports', 'at least one port');
  });

  test('invalid name', () => {
    entryError({ name: 'External_API' }, 'name', '"External_API"');
  });
});
