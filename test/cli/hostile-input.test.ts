import { SpawnSyncOptions, execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Hostile and broken input given to the real command (`node bin/cdk8s-istio.js analyze …` in a
 * child process): it never hangs, never prints a stack trace, and exits 1 for findings, 2 for input
 * it cannot read (naming the file and line), 3 only for a bug of its own.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-istio.js');
const TIMEOUT = 60_000;

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

function cli(args: string[], options: SpawnSyncOptions = {}, nodeFlags: string[] = []): Run {
  // A hang (a FIFO read, a runaway parse) ends in SIGKILL and fails the test instead of stalling it.
  const result = spawnSync(process.execPath, [...nodeFlags, BIN, ...args], {
    encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, ...options,
  });
  return { status: result.status, signal: result.signal, out: String(result.stdout ?? ''), err: String(result.stderr ?? '') };
}

function analyze(...args: string[]): Run {
  return cli(['analyze', ...args]);
}

/** The run failed on input, cleanly: exit 2, one `Error: <where>:<rest>` line matching `problem`, no stack trace. */
function expectInputError(run: Run, where: string, problem: RegExp): void {
  expect({ status: run.status, signal: run.signal, out: run.out }).toEqual({ status: 2, signal: null, out: '' });
  expect(run.err).not.toMatch(/\n\s+at |TypeError|ReferenceError|RangeError|internal error/);
  const lines = run.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`Error: ${where}:`)).toBe(true);
  expect(lines[0]).toMatch(problem);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-hostile-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const VIRTUAL_SERVICE = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\n';
const CLEAN_ONE = '✔ No validation issues found when analyzing 1 resources.\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  selector: {app: reviews}\n'
  + '  ports: [{name: http, port: 9080}]\n';

describe('YAML aliases are expanded with a bound', () => {
  test('150 aliases of a harmless anchor are read as the values they stand for (exit 0)', () => {
    const data = Array.from({ length: 150 }, (_, i) => `  key${i}: *value`).join('\n');
    const p = file('aliases.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n'
      + `data:\n  key: &value hello\n${data}\n`);
    expect(analyze(p)).toEqual({ status: 0, signal: null, out: '✔ No validation issues found when analyzing 1 resources.\n', err: '' });
  }, TIMEOUT);

  test('a billion-laughs file (nine aliases per level, nine levels) is an input error, found in well under the time limit', () => {
    const levels = ['  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) levels.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    const p = file('bomb.yaml', `# laughs\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.join('\n')}\n`);
    const started = Date.now();
    expectInputError(analyze(p), `${p}:2`, /YAML aliases expand this document by more than 1000000 nodes .*Fix: /);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, TIMEOUT);

  test('an alias inside the node it refers to (a cycle) is an input error', () => {
    const p = file('cycle.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\ndata: &self {inner: *self}\n');
    expectInputError(analyze(p), `${p}:1`, /an alias refers to a node that contains it/);
  }, TIMEOUT);
});

describe('malformed shapes are IST0106 findings or input errors, never a TypeError', () => {
  test('hosts: 5 is an IST0106 finding on spec.hosts (exit 1)', () => {
    const p = file('hosts.yaml', `${VIRTUAL_SERVICE}spec:\n  hosts: 5\n`);
    const run = analyze(p);
    expect({ status: run.status, err: run.err }).toEqual({ status: 1, err: '' });
    expect(run.out).toContain('Error [IST0106] (VirtualService shop/reviews) Schema validation error: spec.hosts: ');
    expect(run.out).toContain(`[spec.hosts, ${p}:1]`);
  }, TIMEOUT);

  test('servers: [null] is an IST0106 finding on spec.servers[0] (exit 1)', () => {
    const p = file('servers.yaml', 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: shop}\n'
      + 'spec:\n  selector: {istio: ingressgateway}\n  servers: [null]\n');
    const run = analyze(p);
    expect({ status: run.status, err: run.err }).toEqual({ status: 1, err: '' });
    expect(run.out).toMatch(/Error \[IST0106\] \(Gateway shop\/web\) Schema validation error: spec\.servers\[0\]: /);
    expect(run.out).toContain(`[spec.servers[0], ${path.join(dir, 'servers.yaml')}:1]`);
  }, TIMEOUT);

  test('a Service port with an empty name is an IST0118 finding, not an internal error (exit 0)', () => {
    const p = file('port-name.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec:\n  ports:\n  - name:\n    port: 9080\n');
    const run = analyze(p);
    expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
    expect(run.out).toContain('Info [IST0118] (Service shop/a) Port name (none) (port: 9080, targetPort: 9080)');
  }, TIMEOUT);

  test('a listener protocol named like an Object property (constructor) is judged as any unknown protocol', () => {
    const p = file('protocol.yaml', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: shop}\n'
      + 'spec:\n  gatewayClassName: istio\n  listeners: [{name: l, port: 80, protocol: constructor}]\n---\n'
      + 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec:\n  parentRefs: [{name: web}]\n');
    const run = analyze(p);
    expect(run.status).not.toBe(3);
    expect(run.err).not.toMatch(/internal error|TypeError/);
  }, TIMEOUT);

  test('a List with null or scalar items is an input error naming the item', () => {
    const p = file('list.yaml', `apiVersion: v1\nkind: List\nitems:\n- ${SERVICE.replace(/\n(?=.)/g, '\n  ')}- null\n- 5\n`);
    expectInputError(analyze(p), `${p}:1`, /items\[1\] of List is not a Kubernetes object \(a null value, not a mapping\)/);
  }, TIMEOUT);

  test('a List whose items is not a sequence, a metadata that is not a mapping, a name that is not a string: input errors', () => {
    expectInputError(analyze(file('items.yaml', 'apiVersion: v1\nkind: List\nitems: 5\n')), `${path.join(dir, 'items.yaml')}:1`,
      /items of List is not a sequence/);
    expectInputError(analyze(file('meta.yaml', 'apiVersion: v1\nkind: Service\nmetadata: [a]\n')), `${path.join(dir, 'meta.yaml')}:1`,
      /not a Kubernetes object \(metadata is not a mapping\)/);
    const name = file('name.yaml', '---\n\napiVersion: v1\nkind: Service\nmetadata: {name: 5}\n');
    expectInputError(analyze(name), `${name}:3`,
      /not a Kubernetes object \(metadata\.name is not a string\)/);
  }, TIMEOUT);

  test('a duplicate key among 470,000 is found at its line, in linear time', () => {
    const keys = Array.from({ length: 470_000 }, (_, k) => `  key-${k}: v`);
    const p = file('wide.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${keys.join('\n')}\n  key-7: again\n`);
    const started = Date.now();
    expectInputError(analyze(p), `${p}:470005`, /invalid YAML: duplicated mapping key/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, TIMEOUT);

  test('a duplicate key is an input error at its line', () => {
    const p = file('duplicate.yaml', `${SERVICE}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: "1"\n  x: "2"\n`);
    expectInputError(analyze(p), `${p}:13`, /invalid YAML: duplicated mapping key/);
  }, TIMEOUT);
});

describe('the other commands refuse what would break them, as input errors', () => {
  /** The run failed on input, cleanly: exit 2, `Error:` first, no stack trace. */
  const expectRefused = (run: Run, problem: RegExp) => {
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 2, signal: null });
    expect(run.err).not.toMatch(/\n\s+at |TypeError|RangeError|internal error/);
    expect(run.err.startsWith('Error: ')).toBe(true);
    expect(run.err).toMatch(problem);
  };

  test('graph, plan and test refuse objects that break their schema, naming each at its line', () => {
    const routeNull = file('route-null.yaml', `${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  http:\n  - route: [null]\n`);
    const nameless = file('ns-empty.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: ""}\nspec:\n  ports: [{port: 80}]\n');
    const empty = path.join(dir, 'empty-old');
    fs.mkdirSync(empty, { recursive: true });
    const routeProblem = new RegExp(`1 object\\(s\\) break their schema:\\n  ${routeNull}:1: VirtualService shop/reviews: spec\\.http\\[0\\]\\.route\\[0\\]: `);
    expectRefused(cli(['plan', empty, routeNull]), routeProblem);
    expectRefused(cli(['graph', nameless, '-o', path.join(dir, 'g.html')]), /ns-empty\.yaml:1: Service \/a: metadata\.namespace: /);
    const cases = file('cases.yaml', 'testCases:\n- description: x\n  request: {authority: reviews, method: GET, uri: /}\n');
    expectRefused(cli(['test', routeNull, '--cases', cases]), routeProblem);
    expect(fs.existsSync(path.join(dir, 'g.html'))).toBe(false);
  }, TIMEOUT);

  test('graph and plan: an output they cannot write, or an empty one, is exit 2 with the path', () => {
    const manifests = file('out-svc.yaml', SERVICE);
    expectRefused(cli(['graph', manifests, '-o', dir]), new RegExp(`^Error: ${dir}: cannot be written \\(EISDIR`));
    expectRefused(cli(['graph', manifests, '-o', '/dev/full']), /^Error: \/dev\/full: cannot be written \(ENOSPC/);
    const input = file('graph-in/svc.yaml', SERVICE);
    const link = path.join(dir, 'graph-in', 'link.yaml');
    fs.symlinkSync(input, link);
    for (const out of [input, link]) { // an input file, directly or through a link, is never replaced by the picture
      expectRefused(cli(['graph', path.dirname(input), '-o', out]),
        new RegExp(`^Error: ${out}: is one of the manifest files read; .*Fix: give another file to -o`));
    }
    expect(fs.readFileSync(input, 'utf8')).toBe(SERVICE);
    const empty = path.join(dir, 'empty-before');
    fs.mkdirSync(empty, { recursive: true });
    expectRefused(cli(['plan', empty, manifests, '--out', path.join(manifests, 'sub')]), /not a directory \(ENOTDIR\)/);
    for (const run of [cli(['graph', manifests, '-o', '']), cli(['plan', empty, manifests, '--out', ''])]) {
      expect({ status: run.status, out: run.out }).toEqual({ status: 2, out: '' });
      expect(run.err).toMatch(/^(-o|--out) is empty/);
    }
  }, TIMEOUT);

  test('plan: --out under /proc (where a recursive mkdir never returns) and --flux names Kubernetes refuses are exit 2', () => {
    const manifests = file('plan-svc.yaml', SERVICE);
    const empty = path.join(dir, 'plan-empty');
    fs.mkdirSync(empty, { recursive: true });
    expectRefused(cli(['plan', empty, manifests, '--out', '/proc/cdk8s-istio-plan/x']), /^Error: \/proc\/cdk8s-istio-plan\/x: cannot be written \(ENOENT/);
    for (const name of ['My_App', '', 'a b$(id)']) {
      const run = cli(['plan', empty, manifests, '--out', path.join(dir, 'flux-out'), '--flux', '--name', name]);
      expect({ name, status: run.status, out: run.out }).toEqual({ name, status: 2, out: '' });
      expect(run.err).toContain(`--name "${name}" (the prefix of the Kustomizations' names) is not a name Kubernetes accepts`);
    }
    expect(fs.existsSync(path.join(dir, 'flux-out'))).toBe(false);
  }, TIMEOUT);

  test('a test case whose wantMatch is a string ("true"), or with a misspelt field (rout:, header:), is an input error, not a pass', () => {
    const manifests = file('want-vs.yaml', `${SERVICE}---\n${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]\n`);
    const cases = file('want.yaml', 'testCases:\n- description: quoted\n  wantMatch: "true"\n  request: {authority: reviews, method: GET, uri: /}\n');
    expectRefused(cli(['test', manifests, '--cases', cases]), /test case "quoted": wantMatch is "true", not true or false\. Fix: write wantMatch: true/);
    const typo = file('typo.yaml', 'testCases:\n- description: typo\n  request: {authority: reviews, method: GET, uri: /}\n'
      + '  rout: [{destination: {host: nowhere}}]\n- description: header\n  request: {authority: reviews, method: GET, uri: /, header: {x-a: b}}\n');
    expectRefused(cli(['test', manifests, '--cases', typo]),
      /test case "typo": "rout" is not a field of a test case\. Fix: use description, request, wantMatch, route, redirect/);
    const header = file('typo-header.yaml', 'testCases:\n- description: header\n  request: {authority: reviews, method: GET, uri: /, header: {x-a: b}}\n');
    expectRefused(cli(['test', manifests, '--cases', header]),
      /test case "header": request: "header" is not a field of a request\. Fix: use authority, method, uri, headers, queryParams/);
  }, TIMEOUT);

  test('a test case whose lists make more than 10,000 requests is an input error, not gigabytes of requests', () => {
    const manifests = file('explode-vs.yaml', `${SERVICE}---\n${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]\n`);
    const list = (n: number, f: (i: number) => string) => `[${Array.from({ length: n }, (_, i) => f(i)).join(', ')}]`;
    const cases = file('explode.yaml', `testCases:\n- description: boom\n  request: {authority: ${list(30, i => `h${i}`)}, `
      + `method: ${list(30, () => 'GET')}, uri: ${list(30, i => `/p${i}`)}}\n`);
    expectRefused(cli(['test', manifests, '--cases', cases]),
      /test case "boom": its 30 authorities × 30 methods × 30 uris make 27000 requests, more than the 10000 a test case may hold\. Fix: split/);
  }, TIMEOUT);

  test('cases that reuse large anchors make at most 100,000 requests in one run, across files too', () => {
    const manifests = file('anchors-vs.yaml', `${SERVICE}---\n${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]\n`);
    const list = (n: number, f: (i: number) => string) => `[${Array.from({ length: n }, (_, i) => f(i)).join(', ')}]`;
    const anchors = `x-a: &a ${list(100, i => `h${i}.example.com`)}\nx-u: &u ${list(90, i => `/p${i}`)}\n`;
    const caseLine = (i: number) => `- {description: c${i}, request: {authority: *a, method: [GET], uri: *u}}\n`;
    const many = file('anchors.yaml', `${anchors}testCases:\n${Array.from({ length: 20 }, (_, i) => caseLine(i)).join('')}`);
    expectRefused(cli(['test', manifests, '--cases', many]), new RegExp(`^Error: ${many}: with test case 12 \\("c11"\\), the cases make more than `
      + 'the 100000 requests one run may make\\. Fix: split the cases into several runs'));
    const half = (name: string) => file(name, `${anchors}testCases:\n${Array.from({ length: 6 }, (_, i) => caseLine(i)).join('')}`);
    const [first, second] = [half('anchors-1.yaml'), half('anchors-2.yaml')];
    expectRefused(cli(['test', manifests, '--cases', first, second]), new RegExp(`^Error: ${second}: with test case 6 `));
  }, TIMEOUT);

  test('a test cases file: text fields that are mappings, a self-referencing alias and an alias bomb are input errors', () => {
    const manifests = file('cases-vs.yaml', `${SERVICE}---\n${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]\n`);
    const request = '  request: {authority: reviews, method: GET, uri: /}\n';
    const described = file('described.yaml', `testCases:\n- description: {toString: 5}\n${request}`);
    expectRefused(cli(['test', manifests, '--cases', described]), /testCases\[0\]\.description is a mapping, not text/);
    const authority = file('authority.yaml', 'testCases:\n- description: x\n  request: {authority: [{toString: 1}], method: GET, uri: /}\n');
    expectRefused(cli(['test', manifests, '--cases', authority]), /request\.authority is a mapping, not text/);
    const cycle = file('cycle.yaml', `testCases:\n- description: x\n${request}  route: &a [ *a ]\n`);
    expectRefused(cli(['test', manifests, '--cases', cycle]), /an alias refers to a node that contains it/);
    const anchors = Array.from({ length: 9 }, (_, k) => (k === 0 ? 'a0: &a0 [x,x,x,x,x,x,x,x,x,x]'
      : `a${k}: &a${k} [${Array.from({ length: 10 }, () => `*a${k - 1}`).join(',')}]`)).join('\n');
    const bomb = file('bomb-cases.yaml', `${anchors}\ntestCases:\n- description: x\n${request}  headers: *a8\n`);
    expectRefused(cli(['test', manifests, '--cases', bomb]), /an alias bomb/);
  }, TIMEOUT);
});

describe('only regular files are read, and unreadable paths are input errors', () => {
  test('an unreadable directory and file: permission denied (as root, checked as the user nobody)', () => {
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked);
    file('locked/a.yaml', SERVICE);
    const unreadable = file('unreadable.yaml', SERVICE);
    fs.chmodSync(locked, 0o000);
    fs.chmodSync(unreadable, 0o000);
    fs.chmodSync(dir, 0o755);
    // root reads anything: run the command as nobody (uid 65534) to see what a user would.
    const asUser: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: os.tmpdir() } } : {};
    const probe = cli(['analyze', file('readable.yaml', SERVICE)], asUser);
    if (probe.status !== 0) {
      // eslint-disable-next-line no-console
      console.warn(`skipped: the user nobody cannot run the CLI from ${ROOT} (${probe.err.split('\n')[0]}): permission denied not checked`);
      return;
    }
    try {
      expectInputError(cli(['analyze', locked], asUser), locked, /^Error: \S+: permission denied \(EACCES\)$/);
      expectInputError(cli(['analyze', unreadable], asUser), unreadable, /permission denied \(EACCES\)$/);
    } finally {
      fs.chmodSync(locked, 0o755);
      fs.chmodSync(unreadable, 0o644);
    }
  }, TIMEOUT);

  test('a symbolic link loop given as the path', () => {
    const loop = path.join(dir, 'loop.yaml');
    fs.symlinkSync(loop, loop);
    expectInputError(analyze(loop), loop, /too many levels of symbolic links .*\(ELOOP\)/);
  }, TIMEOUT);

  test('a directory that links back to itself is read once, not forever', () => {
    file('tree/svc.yaml', SERVICE);
    fs.symlinkSync(path.join(dir, 'tree'), path.join(dir, 'tree', 'again'));
    expect(analyze(path.join(dir, 'tree'), '--recursive')).toMatchObject({ status: 0, out: CLEAN_ONE });
  }, TIMEOUT);

  test('/dev/zero is refused before it is opened', () => {
    expectInputError(analyze('/dev/zero'), '/dev/zero', /not a regular file \(a character device\)/);
  }, TIMEOUT);

  test('a FIFO, given as the path or inside a directory as x.yaml, is refused without waiting for a writer', () => {
    const fifo = path.join(dir, 'fifos', 'x.yaml');
    fs.mkdirSync(path.dirname(fifo));
    execFileSync('mkfifo', [fifo]);
    expectInputError(analyze(fifo), fifo, /not a regular file \(a FIFO\)/);
    expectInputError(analyze(path.dirname(fifo)), fifo, /not a regular file \(a FIFO\)/);
  }, TIMEOUT);

  test('a directory without --recursive: its subfolders are named as not read; with none of its own files, exit 2', () => {
    file('nested/svc.yaml', SERVICE);
    const route = 'http: [{route: [{destination: {host: reviews, subset: v9}}]}]';
    file('nested/more/vs.yaml', `${VIRTUAL_SERVICE}spec:\n  hosts: [reviews]\n  ${route}\n`);
    file('only-folders/apps/svc.yaml', SERVICE);
    const nested = analyze(path.join(dir, 'nested'));
    expect(nested).toMatchObject({ status: 0, out: '✔ No validation issues found when analyzing 1 resources.\n' });
    expect(nested.err).toBe(`Note: 1 subfolder(s) not read (${path.join(dir, 'nested', 'more')}); use --recursive to read them\n`);
    expect(analyze(path.join(dir, 'nested'), '-R').status).toBe(1);
    expect(analyze(path.join(dir, 'only-folders'))).toEqual({
      status: 2,
      signal: null,
      out: '',
      err: `Error: no .yaml, .yml or .json files in ${path.join(dir, 'only-folders')} (subfolders are read with --recursive)\n`,
    });
  }, TIMEOUT);
});

describe('text that is not YAML, or not a manifest', () => {
  test('bytes that are not UTF-8: the line of the first bad byte', () => {
    const p = file('latin1.yaml', Buffer.concat([Buffer.from(`${SERVICE}# caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    expectInputError(analyze(p), `${p}:7`, /not UTF-8 text \(byte 0xe9 at offset \d+\)\. Fix: save the file as UTF-8/);
  }, TIMEOUT);

  test('a document without an apiVersion is not a Kubernetes object (exit 2); --help prints the usage (exit 0)', () => {
    expectInputError(analyze(file('no-api.yaml', 'kind: ConfigMap\nmetadata: {name: a, namespace: b}\n')), path.join(dir, 'no-api.yaml:1'),
      /not a Kubernetes object \(no apiVersion\)/);
    for (const flag of ['--help', '-h']) {
      const run = cli([flag]);
      expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
      expect(run.out).toMatch(/^Usage: cdk8s-istio analyze/);
    }
  }, TIMEOUT);

  test('an empty file, and one with only comments and separators: no objects, exit 2', () => {
    const empty = file('empty.yaml', '');
    expectInputError(analyze(empty), empty, /^Error: \S+: no Kubernetes objects \(empty, or only comments and separators\)$/);
    const comments = file('comments.yaml', '# nothing\n---\n---\n');
    expectInputError(analyze(comments), comments, /no Kubernetes objects/);
    expect(analyze(empty, comments)).toEqual({
      status: 2, signal: null, out: '', err: 'Error: no Kubernetes objects in the 2 files read (empty, or only comments and separators)\n',
    });
  }, TIMEOUT);

  test('a file that is not YAML at all: invalid YAML at line and column, or not a Kubernetes object', () => {
    const binary = file('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]));
    expectInputError(analyze(binary), `${binary}:1`, /invalid YAML: /);
    const prose = file('prose.yaml', 'Dear reader,\nthis is a letter: it has colons: and [brackets\n');
    expectInputError(analyze(prose), `${prose}:2`, /invalid YAML: /);
    const words = file('words.yaml', 'just some words\n');
    expectInputError(analyze(words), `${words}:1`, /not a Kubernetes object \(a string value, not a mapping\)/);
  }, TIMEOUT);

  test('nesting too deep for the parser is an input error', () => {
    const p = file('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: ${'['.repeat(1e5)}${']'.repeat(1e5)}\n`);
    expectInputError(analyze(p), `${p}:1`, /nested too deeply to read/);
  }, TIMEOUT);

  test('a huge single line (20 MB) is read; the messages do not echo it', () => {
    const value = 'a'.repeat(20 * 1024 * 1024);
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge', namespace: 'shop' }, data: { v: value } };
    const good = file('huge.json', `${JSON.stringify(object)}\n`);
    // read whole, and judged as the API server would (a ConfigMap holds at most 1 MiB), in a message that does not quote it
    const read = analyze(good);
    expect({ status: read.status, err: read.err }).toEqual({ status: 1, err: '' });
    expect(read.out).toMatch(/^Error \[IST0106\] \(ConfigMap shop\/huge\) .*the ConfigMap holds 20971520 bytes, more than the API server's 1048576/);
    expect(read.out.length).toBeLessThan(1000);
    const unclosed = file('huge-unclosed.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata: {v: "${value}\n`);
    const run = analyze(unclosed);
    expectInputError(run, `${unclosed}:5`, /invalid YAML: /);
    expect(run.err.length).toBeLessThan(1000);
  }, TIMEOUT);
});

describe('valid YAML the splitting into documents must not misread', () => {
  test('a blank or comment line between a directive and its ---, and U+2028 before --- inside a scalar', () => {
    const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {istio-injection: enabled}}\n`;
    const directed = file('directed.yaml', `%YAML 1.2\n\n---\n${namespace('a')}...\n%YAML 1.2\n# the next one\n---\n${namespace('b')}`);
    const run = analyze(directed, '--output', 'json');
    expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
    expect(analyze(directed).out).toBe('✔ No validation issues found when analyzing 2 resources.\n');
    const separator = file('u2028.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\ndata: {note: a\u2028--- b}\n');
    expect(analyze(separator)).toMatchObject({ status: 0, out: CLEAN_ONE, err: '' });
  }, TIMEOUT);
});

describe('names like Object properties (constructor, __proto__) and rules about updates', () => {
  const route = (match: string) => file('proto/vs.yaml', [
    'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web, namespace: shop}', 'spec:',
    '  hosts: [web.shop.svc.cluster.local]', '  http:', `  - match: [${match}]`, '    route: [{destination: {host: web.shop.svc.cluster.local}}]', '',
  ].join('\n'));
  const cases = (want: boolean) => file('proto/cases.yaml', [
    'testCases:', '- description: a request without such a header', `  wantMatch: ${want}`,
    '  request: {authority: [web.shop.svc.cluster.local], method: [GET], uri: [/]}', '',
  ].join('\n'));

  test('test: a header or query parameter named constructor is matched as any other name (it was exit 3)', () => {
    for (const match of ['{headers: {constructor: {prefix: x}}}', '{headers: {constructor: {regex: ".*"}}}', '{queryParams: {toString: {regex: "a.*"}}}',
      '{headers: {__proto__: {exact: x}}}']) {
      const run = cli(['test', route(match), '--cases', cases(false)]);
      expect({ match, status: run.status, err: run.err }).toEqual({ match, status: 0, err: '' });
    }
    expect(cli(['test', route('{withoutHeaders: {constructor: {}}}'), '--cases', cases(true)]).status).toBe(0);
  });

  test('analyze: a label key constructor is a label like any other, in CEL rules and in namespace selectors', () => {
    const policy = file('proto/pa.yaml', 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: pa, namespace: shop}\n'
      + 'spec: {selector: {matchLabels: {constructor: web}}, mtls: {mode: STRICT}}\n');
    const run = analyze(policy, '--output', 'json');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.out) as { code: string }[]).map(m => m.code)).toEqual(['KIA0004']);
    const gateway = file('proto/gw.yaml', [
      'apiVersion: v1', 'kind: Namespace', 'metadata: {name: edge}', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: shop}', '---',
      'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: gw, namespace: edge}', 'spec:', '  gatewayClassName: istio',
      '  listeners:', '  - name: http', '    port: 80', '    protocol: HTTP',
      '    allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: constructor, operator: DoesNotExist}]}}}', '---',
      'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: web, namespace: shop}', 'spec:',
      '  parentRefs: [{name: gw, namespace: edge}]', '  rules: [{backendRefs: [{name: web, port: 80}]}]', '',
    ].join('\n'));
    expect(analyze(gateway).out).not.toContain('KIA1401');
  });

  test('analyze: schema patterns run on RE2, so a 120,000-character listener protocol is judged, not backtracked on for minutes', () => {
    const gateway = file('proto/long-protocol.yaml', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: shop}\n'
      + `spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: "${'a'.repeat(120_000)}!"}]}\n`);
    const run = analyze(gateway, '--output', 'json');
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
    const messages = (JSON.parse(run.out) as { message: string }[]).map(m => m.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('spec.listeners[0].protocol: must match the pattern'),
      expect.stringContaining('spec.listeners[0].protocol: must be at most 255 characters long')]));
  }, TIMEOUT);

  test('analyze: a rule about updates (self == oldSelf) is not run on a manifest, as on create', () => {
    const gatewayClass = file('proto/gatewayclass.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: istio}\nspec: {controllerName: istio.io/gateway-controller}\n');
    expect(analyze(gatewayClass)).toEqual(expect.objectContaining({ status: 0, err: '' }));
  });
});

describe('input too big for the heap', () => {
  test('is refused before it is read, with the sizes and the fix, instead of a fatal out-of-memory crash', () => {
    const keys = Array.from({ length: 300_000 }, (_, k) => `  key-${k}: value-${k}`);
    const p = file('big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${keys.join('\n')}\n`);
    const run = cli(['analyze', p], {}, ['--max-old-space-size=100']);
    expect({ status: run.status, out: run.out }).toEqual({ status: 2, out: '' });
    expect(run.err).toMatch(/^Error: 1 file\(s\) hold \d+ MB, more than the \d+ MB this process can analyze with its \d+ MB heap\. Fix: /);
    expect(run.err).toContain('NODE_OPTIONS=--max-old-space-size=<MB>');
  }, TIMEOUT);
});

describe('errors of the tool itself', () => {
  test('a CLI that cannot load is exit 3 with one line and the bug-report hint, the stack only with CDK8S_ISTIO_DEBUG=1', () => {
    const lonely = path.join(dir, 'lonely', 'bin', 'cdk8s-istio.js');
    fs.mkdirSync(path.dirname(lonely), { recursive: true });
    fs.copyFileSync(BIN, lonely);
    const run = spawnSync(process.execPath, [lonely, 'analyze', '.'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^cdk8s-istio: internal error: Error: Cannot find module .*This is a bug in cdk8s-istio: please report it /);
    expect(run.stderr).toContain('(CDK8S_ISTIO_DEBUG=1 prints the stack trace)');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    const env = { ...process.env, CDK8S_ISTIO_DEBUG: '1' };
    const debug = spawnSync(process.execPath, [lonely, 'analyze', '.'], { encoding: 'utf8', timeout: 30_000, env });
    expect(debug.status).toBe(3);
    expect(debug.stderr).toMatch(/\n\s+at /);
  }, TIMEOUT);

  test('output cut short by a closed pipe (| head) ends quietly', () => {
    const documents = Array.from({ length: 2000 }, (_, i) => `${VIRTUAL_SERVICE.replace('reviews', `r${i}`)}spec:\n  hosts: 5\n`);
    const many = file('many.yaml', documents.join('---\n'));
    const command = `"${process.execPath}" "${BIN}" analyze "${many}" | head -c 10 >/dev/null`;
    const run = spawnSync('sh', ['-c', command], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, TIMEOUT);
});
