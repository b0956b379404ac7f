import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { formatViolation, validateDocuments } from '../../lib/analysis/schema';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.yaml'))
    .map(e => path.join(e.parentPath ?? (e as any).path, e.name))
    .sort();
}

// Every document that `kubectl apply -f` would send: valid against the Istio and Gateway API CRD
// schemas with their CEL rules, and Kubernetes kinds against the Kubernetes API types; and
// dist/install/'s IstioOperator files against the IstioOperator structure (it has no CRD). The Helm
// values files under dist/install/helm/ are no Kubernetes documents: test/install checks them.
const files = yamlFiles(DIST).filter(f => !path.relative(DIST, f).startsWith(path.join('install', 'helm') + path.sep));

test('dist/ has documents to validate', () => {
  expect(files.length).toBeGreaterThan(0);
});

test.each(files.map(f => [path.relative(DIST, f)]))('dist/%s is valid against the Istio CRDs (with CEL rules) and the Kubernetes API', (file) => {
  const docs = yaml.loadAll(fs.readFileSync(path.join(DIST, file), 'utf8'));
  expect(validateDocuments(docs).map(formatViolation)).toEqual([]);
});
