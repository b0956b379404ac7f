import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { synthAll } from '../../apps/synth-all';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath ?? (e as any).path, e.name)))
    .sort();
}

/**
 * The file has the same bytes in both folders (Buffer.equals: jest's toEqual compares Buffers
 * element by element, seconds for the whole of dist/).
 */
function expectSameBytes(file: string, dir: string, expectedDir: string): void {
  const identical = fs.readFileSync(path.join(dir, file)).equals(fs.readFileSync(path.join(expectedDir, file)));
  expect({ file, identical }).toEqual({ file, identical: true });
}

describe('dist/', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-dist-'));
  const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-dist-'));
  synthAll(fresh);
  synthAll(again);
  afterAll(() => [fresh, again].forEach(d => fs.rmSync(d, { recursive: true, force: true })));

  test('is up to date: the committed files equal a fresh synth byte for byte (run `npm run synth` if not)', () => {
    expect(listFiles(DIST)).toEqual(listFiles(fresh));
    for (const file of listFiles(fresh)) {
      expect({ file, content: fs.readFileSync(path.join(DIST, file), 'utf8') }).toEqual({ file, content: fs.readFileSync(path.join(fresh, file), 'utf8') });
    }
  });

  describe('as `npm run synth` writes it', () => {
    test('node scripts/synth.js (the bundled apps, build/synth-apps.js) writes the same files, byte for byte', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-dist-'));
      try {
        const run = spawnSync(process.execPath, [path.resolve(__dirname, '..', '..', 'scripts', 'synth.js')], {
          encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir },
        });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(listFiles(outdir)).toEqual(listFiles(fresh));
        for (const file of listFiles(fresh)) expectSameBytes(file, outdir, fresh);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }, 120_000);
  });

  test('is reproducible: two synths produce identical bytes', () => {
    expect(listFiles(again)).toEqual(listFiles(fresh));
    for (const file of listFiles(fresh)) expectSameBytes(file, again, fresh);
  });

  test('holds only Kubernetes manifests (.yaml files of documents with apiVersion, kind and metadata.name) and one Kustomization per app', () => {
    for (const file of listFiles(fresh)) {
      if (file.startsWith(path.join('install', 'helm') + path.sep)) {
        // Helm values files, each for one chart of one install variant (dist/install/helm/<variant>/<release>.values.yaml)
        expect(file).toMatch(/^install\/helm\/[a-z0-9-]+\/[a-z0-9-]+\.values\.yaml$/);
        expect(typeof yaml.load(fs.readFileSync(path.join(fresh, file), 'utf8'))).toBe('object');
        continue;
      }
      if (path.basename(file) === 'Kustomization') {
        // kubectl apply -f reads only .yaml/.yml/.json files; kustomize reads this one.
        expect(file.split(path.sep)).toHaveLength(2);
        continue;
      }
      expect(file).toMatch(/\.yaml$/);
      const docs = yaml.loadAll(fs.readFileSync(path.join(fresh, file), 'utf8')) as any[];
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(typeof doc.apiVersion).toBe('string');
        expect(typeof doc.kind).toBe('string');
        expect(typeof doc.metadata?.name).toBe('string');
      }
    }
  });

  test('one `kubectl apply -f dist/<app>/` pass works: the Namespace comes first and no two documents share an id', () => {
    // install/ is for istioctl and Helm; addons/ goes into istio-system, which the install creates (and which
    // `kubectl delete -f dist/addons/` must not delete), so it declares no Namespace.
    for (const appDir of fs.readdirSync(fresh).filter(d => d !== 'install')) {
      const topLevel = fs.readdirSync(path.join(fresh, appDir)).filter(f => f.endsWith('.yaml')).sort();
      const docs = topLevel.flatMap(f => yaml.loadAll(fs.readFileSync(path.join(fresh, appDir, f), 'utf8')) as any[]);
      if (appDir === 'addons') expect(docs.every(d => d.kind === 'Namespace' || d.metadata.namespace === 'istio-system' || !d.metadata.namespace)).toBe(true);
      else expect(docs[0].kind).toBe('Namespace');
      const ids = docs.map(d => `${d.apiVersion}/${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('never contains Secret values or private keys', () => {
    for (const file of listFiles(fresh)) {
      const content = fs.readFileSync(path.join(fresh, file), 'utf8');
      expect(content).not.toMatch(/PRIVATE KEY|^kind: Secret$/m);
    }
  });
});
