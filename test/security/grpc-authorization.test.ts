import { AuthorizationAction, AuthorizationPolicy, Caller, PortProtocol } from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';

const GRPC = [{ port: 7070, protocol: PortProtocol.GRPC }];

function grpcShop() {
  const { app, chart } = newChart();
  const cart = service(chart, 'cartservice', { ports: GRPC });
  const checkout = service(chart, 'checkoutservice', { ports: [{ port: 5050, protocol: PortProtocol.GRPC }] });
  return { app, chart, cart, checkout };
}

function operationsOf(chart: ReturnType<typeof newChart>['chart'], policy: string): unknown[] {
  return findDoc(docsOf(chart), 'AuthorizationPolicy', policy).spec.rules.map((r: { to?: unknown[] }) => r.to);
}

describe('allowFrom(caller, { grpc })', () => {
  test('writes the paths Istio matches for gRPC methods and whole services', () => {
    const { app, chart, cart, checkout } = grpcShop();
    cart.allowFrom(checkout, { grpc: ['shop.v1.CartService/GetCart', 'shop.v1.CartService/*'] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'cartservice-allow').spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkoutservice'] } }],
      to: [{ operation: { paths: ['/shop.v1.CartService/GetCart', '/shop.v1.CartService/*'] } }],
    }]);
    expectSchemaValid(docsOf(chart));
  });

  test('POST, gRPC paths and ports go into the same operation (paths first, then the grpc names)', () => {
    const { chart, cart, checkout } = grpcShop();
    cart.allowFrom(checkout, {
      methods: ['POST'], paths: ['/shop.v1.*', '*/GetCart', '*'], grpc: ['hipstershop.CartService/AddItem'], ports: [7070],
    });
    expect(operationsOf(chart, 'cartservice-allow')).toEqual([[{
      operation: { methods: ['POST'], paths: ['/shop.v1.*', '*/GetCart', '*', '/hipstershop.CartService/AddItem'], ports: ['7070'] },
    }]]);
  });

  test('names without a <package>.<Service>/ part, with a leading slash or another method wildcard are refused', () => {
    const { cart, checkout } = grpcShop();
    expectMeshError(() => cart.allowFrom(checkout, { grpc: ['GetCart'] }), 'test/cartservice', 'allowFrom.grpc[0]',
      '"GetCart" is not a gRPC method name (it has no "<package>.<Service>/" part)', "'<package>.<Service>/GetCart'");
    expectMeshError(() => cart.allowFrom(checkout, { grpc: ['shop.v1.CartService/GetCart', 'CartService/GetCart'] }),
      'test/cartservice', 'allowFrom.grpc[1]', 'service "CartService" has no package', "'<package>.CartService/GetCart'");
    expectMeshError(() => cart.allowFrom(checkout, { grpc: ['/shop.v1.CartService/GetCart'] }), 'test/cartservice', 'allowFrom.grpc[0]',
      'starts with "/"', "'shop.v1.CartService/GetCart'");
    expectMeshError(() => cart.allowFrom(checkout, { grpc: ['shop.v1.CartService/Get*'] }), 'test/cartservice', 'allowFrom.grpc[0]',
      '"Get*" is neither a proto identifier nor *', "'shop.v1.CartService/<Method>'");
    expectMeshError(() => cart.allowFrom(checkout, { grpc: ['shop.v1.Cart-Service/GetCart'] }), 'test/cartservice', 'allowFrom.grpc[0]',
      '"shop.v1.Cart-Service" is not a dotted proto name');
    expectMeshError(() => cart.allowFrom(checkout, { grpc: [] }), 'test/cartservice/AllowPolicy', 'rules[0].to[0].operation.grpc',
      'an empty grpc list matches nothing useful');
  });

  test('on a gRPC port, gRPC method names given as methods are refused with a fix naming grpc', () => {
    const { cart, checkout } = grpcShop();
    expectMeshError(() => cart.allowFrom(checkout, { methods: ['PlaceOrder'] }), 'test/cartservice', 'allowFrom.methods[0]',
      '"PlaceOrder" looks like a gRPC method name, but methods match HTTP methods on a gRPC port, where every call is an HTTP POST',
      "Fix: name it with its service in grpc: ['<package>.<Service>/PlaceOrder'] and drop methods");
    expectMeshError(() => cart.allowFrom(checkout, { methods: ['POST', 'shop.v1.CartService/GetCart'] }), 'test/cartservice',
      'allowFrom.methods[1]', '"shop.v1.CartService/GetCart" is a gRPC method name',
      "Fix: move it to grpc: ['shop.v1.CartService/GetCart'] and drop methods");
  });

  test('on a gRPC port, HTTP methods other than POST are refused', () => {
    const { cart, checkout } = grpcShop();
    for (const method of ['GET', 'PUT', 'post']) {
      expectMeshError(() => cart.allowFrom(checkout, { methods: [method] }), 'test/cartservice', 'allowFrom.methods[0]',
        `HTTP method "${method}" matches no call on a gRPC port`,
        "Fix: drop methods (or use POST) and name the calls with grpc: ['<package>.<Service>/<Method>']");
    }
  });

  test('on a gRPC port, paths no gRPC call can have are refused', () => {
    const { cart, checkout } = grpcShop();
    for (const path of ['/api/orders', '/api/*', '/health', '*.json', 'shop.v1.CartService/GetCart', '/CartService/GetCart']) {
      expectMeshError(() => cart.allowFrom(checkout, { paths: [path] }), 'test/cartservice', 'allowFrom.paths[0]',
        `"${path}" cannot be the path of a gRPC call (/<package>.<Service>/<Method>), so it matches nothing on a gRPC port`,
        "Fix: name the calls with grpc: ['<package>.<Service>/<Method>'] or grpc: ['<package>.<Service>/*'] instead");
    }
  });

  test('grpc needs a port that carries HTTP/2', () => {
    const { chart, checkout } = grpcShop();
    const redis = service(chart, 'redis', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }] });
    expectMeshError(() => redis.allowFrom(checkout, { grpc: ['shop.v1.CartService/GetCart'] }), 'test/redis', 'allowFrom.grpc',
      'the ports this rule matches are redis, which carry none', 'protocol PortProtocol.GRPC');
    const web = service(chart, 'web');
    expectMeshError(() => web.allowFrom(checkout, { grpc: ['shop.v1.CartService/GetCart'] }), 'test/web', 'allowFrom.grpc',
      'the ports this rule matches are http, which carry none');
    const h2 = service(chart, 'h2', { ports: [{ port: 8443, protocol: PortProtocol.HTTP2 }] });
    h2.allowFrom(checkout, { grpc: ['shop.v1.CartService/GetCart'], methods: ['GET'] });
    expect(operationsOf(chart, 'h2-allow')).toEqual([[{ operation: { methods: ['GET'], paths: ['/shop.v1.CartService/GetCart'] } }]]);
  });

  test('on a service with HTTP and gRPC ports, the checks follow the ports the rule matches', () => {
    const { chart, checkout } = grpcShop();
    const frontend = service(chart, 'frontend', { ports: [{ port: 8080 }, { port: 7000, targetPort: 7001, protocol: PortProtocol.GRPC }] });
    frontend.allowFrom(Caller.ingressGateway(), { methods: ['GET'], paths: ['/api/*'] });
    frontend.allowFrom(checkout, { methods: ['GET'], ports: [8080] });
    frontend.allowFrom(checkout, { grpc: ['shop.v1.FrontendService/*'] });
    expectMeshError(() => frontend.allowFrom(checkout, { methods: ['GET'], ports: [7000] }), 'test/frontend', 'allowFrom.methods[0]',
      'HTTP method "GET" matches no call on a gRPC port');
    expectMeshError(() => frontend.allowFrom(checkout, { grpc: ['shop.v1.FrontendService/*'], ports: [8080] }), 'test/frontend',
      'allowFrom.grpc', 'are http, which carry none');
    expect(operationsOf(chart, 'frontend-allow')).toEqual([
      [{ operation: { methods: ['GET'], paths: ['/api/*'] } }],
      [{ operation: { methods: ['GET'], ports: ['8080'] } }],
      [{ operation: { paths: ['/shop.v1.FrontendService/*'] } }],
    ]);
  });

  test('a gRPC-Web port takes gRPC names and is not held to POST (browsers send CORS preflights as OPTIONS)', () => {
    const { chart, checkout } = grpcShop();
    const web = service(chart, 'web', { ports: [{ port: 8080, protocol: PortProtocol.GRPC_WEB }] });
    web.allowFrom(checkout, { methods: ['POST', 'OPTIONS'], grpc: ['shop.v1.CartService/*'] });
    expect(operationsOf(chart, 'web-allow')).toEqual([[{
      operation: { methods: ['POST', 'OPTIONS'], paths: ['/shop.v1.CartService/*'] },
    }]]);
  });
});

describe('AuthorizationPolicy rules on a gRPC MeshService', () => {
  test('grpc in an operation is written as paths, with the action and selector', () => {
    const { app, chart, cart, checkout } = grpcShop();
    const policy = new AuthorizationPolicy(chart, 'cart-deny-empty', {
      selector: cart,
      action: AuthorizationAction.DENY,
      rules: [{ from: [Caller.service(checkout)], to: [{ grpc: ['shop.v1.CartService/EmptyCart'], ports: [7070] }] }],
    });
    policy.addRule({ to: [{ methods: ['POST'], notPaths: ['/shop.v1.CartService/*'] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'cart-deny-empty').spec).toEqual({
      selector: { matchLabels: { app: 'cartservice' } },
      action: 'DENY',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkoutservice'] } }],
          to: [{ operation: { paths: ['/shop.v1.CartService/EmptyCart'], ports: ['7070'] } }],
        },
        { to: [{ operation: { methods: ['POST'], notPaths: ['/shop.v1.CartService/*'] } }] },
      ],
    });
    expectSchemaValid(docsOf(chart));
  });

  test('methods and paths that cannot match gRPC calls are refused at the rule\'s field, in the constructor and addRule', () => {
    const { chart, cart } = grpcShop();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p1', { selector: cart, rules: [{ to: [{ methods: ['GetCart'] }] }] }),
      'test/p1', 'rules[0].to[0].operation.methods[0]', '"GetCart" looks like a gRPC method name', "grpc: ['<package>.<Service>/GetCart']");
    const policy = new AuthorizationPolicy(chart, 'p2', { selector: cart });
    expectMeshError(() => policy.addRule({ to: [{ paths: ['/shop.v1.CartService/GetCart'] }, { notPaths: ['/admin'] }] }),
      'test/p2', 'rules[0].to[1].operation.notPaths[0]', '"/admin" cannot be the path of a gRPC call');
    expectMeshError(() => policy.addRule({ to: [{ grpc: ['CartService/GetCart'] }] }),
      'test/p2', 'rules[0].to[0].operation.grpc[0]', 'service "CartService" has no package');
  });

  test('without a MeshService selector the protocol is unknown: only the grpc names are checked', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'by-labels', { selector: { app: 'cartservice' }, rules: [{ to: [{ methods: ['GET'], grpc: ['a.B/C'] }] }] });
    expect(operationsOf(chart, 'by-labels')).toEqual([[{ operation: { methods: ['GET'], paths: ['/a.B/C'] } }]]);
    expectMeshError(() => new AuthorizationPolicy(chart, 'bad', { rules: [{ to: [{ grpc: ['B/C'] }] }] }),
      'test/bad', 'rules[0].to[0].operation.grpc[0]', 'service "B" has no package');
  });

  test('operation ports not forwarded by the service leave the protocol unknown', () => {
    const { chart, cart } = grpcShop();
    new AuthorizationPolicy(chart, 'other-port', { selector: cart, rules: [{ to: [{ methods: ['GET'], ports: [9090] }] }] });
    expect(operationsOf(chart, 'other-port')).toEqual([[{ operation: { methods: ['GET'], ports: ['9090'] } }]]);
  });
});
