import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { RouteSimulator, readRouteTestCases, runRouteTestCases } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

/** getyourguide's testCases semantics, case by case, through readRouteTestCases and runRouteTestCases. */
const VS = `
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: api, namespace: api}
spec:
  hosts: [api.example.com]
  http:
  - match: [{queryParams: {version: {}}, uri: {prefix: /items}}]
    route: [{destination: {host: items-v2}}]
  - match: [{uri: {prefix: /items}, scheme: {exact: https}}]
    fault: {delay: {fixedDelay: 1.5s, percentage: {value: 50}}}
    route: [{destination: {host: items.api.svc.cluster.local, port: {number: 80}}, weight: 100}]
  - route: [{destination: {host: items}}]
`;

function run(cases: string) {
  const file = path.join(temporaryFolder('route-cases-'), 'cases.yaml');
  fs.writeFileSync(file, cases);
  const simulator = new RouteSimulator((yaml.loadAll(VS) as Record<string, any>[]).map(doc => ({ doc })));
  return runRouteTestCases(simulator, readRouteTestCases(file));
}

test('every combination of authority, method and uri is a request, in the order uri, authority, method', () => {
  const [result] = run(`testCases:
- description: all
  wantMatch: true
  request: {authority: [api.example.com, API.example.com], method: [GET, PUT], uri: [/a, /b]}
  route: [{destination: {host: items}}]
`);
  expect(result.inputs.map(i => `${i.request.path} ${i.request.host} ${i.request.method}`)).toEqual([
    '/a api.example.com GET', '/a api.example.com PUT', '/a API.example.com GET', '/a API.example.com PUT',
    '/b api.example.com GET', '/b api.example.com PUT', '/b API.example.com GET', '/b API.example.com PUT',
  ]);
  expect(result.passed).toBe(true);
});

test('field names match case-insensitively; query parameters come from the uri or request.queryParams (a null value is present)', () => {
  const results = run(`TestCases:
- Description: from the uri
  WantMatch: true
  Request: {Authority: [api.example.com], Method: [GET], URI: ["/items?version=2"]}
  Route: [{destination: {host: items-v2.api.svc.cluster.local}}]
- description: from queryParams
  wantMatch: true
  request: {authority: [api.example.com], method: [GET], uri: [/items], queryParams: {version: }}
  route: [{destination: {host: items-v2}}]
`);
  expect(results.map(r => [r.description, r.passed])).toEqual([['from the uri', true], ['from queryParams', true]]);
});

test('an absolute uri gives the scheme; proto defaults (weight 100 kept, 0 dropped) and durations compare by value', () => {
  const results = run(`testCases:
- description: https
  wantMatch: true
  request: {authority: [api.example.com], method: [GET], uri: ["https://api.example.com/items/1"]}
  route: [{destination: {host: items, port: {number: 80}}, weight: 100}]
  fault: {delay: {fixedDelay: 1500ms, percentage: {value: 50}}}
- description: weights must be equal
  wantMatch: false
  request: {authority: [api.example.com], method: [GET], uri: ["https://api.example.com/items/1"]}
  route: [{destination: {host: items, port: {number: 80}}, weight: 0}]
`);
  expect(results.map(r => r.passed)).toEqual([true, true]);
});

test('no rule matching is nothing: a route the case wants fails, one it rules out passes', () => {
  const results = run(`testCases:
- description: other host
  wantMatch: true
  request: {authority: [other.example.com], method: [GET], uri: [/]}
  route: [{destination: {host: items}}]
- description: other host, ruled out
  request: {authority: [other.example.com], method: [GET], uri: [/]}
  route: [{destination: {host: items}}]
`);
  expect(results[0].inputs[0]).toEqual(expect.objectContaining({
    passed: false, failures: [{ field: 'route', got: undefined, want: [{ destination: { host: 'items' } }], wantMatch: true }],
  }));
  expect(results[1].passed).toBe(true);
});
