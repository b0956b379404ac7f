/**
 * Regenerates everything under imports/ from the Istio CRD bundle (`npm run import`).
 *
 *   node --import tsx scripts/import-crds.ts [--outdir imports] [path/to/crd-all.gen.yaml]
 *
 * The bundle defaults to ../shared/istio/crd-all.gen.yaml (or $ISTIO_CRD_BUNDLE). Two outputs:
 *
 * - L1 classes (`imports/<group>.ts`) via `cdk8s import`, from a trimmed copy of the bundle: only
 *   the kinds the library emits, only their `v1` version, descriptions stripped and the deprecated
 *   snake_case aliases (`mirror_percent`, `jwks_uri`) dropped so the importer cannot emit them.
 * - `imports/istio-crd-schemas.ts`: the openAPIV3Schema of every kind and served version (for the
 *   validator, which must accept any Istio YAML), descriptions stripped, identical schemas shared.
 *
 * Then `imports/kubernetes-schemas.ts`, the built-in Kubernetes kinds' JSON Schemas, from the
 * kubernetes-models devDependency (scripts/import-kubernetes-schemas.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { kubernetesSchemaModule } from './import-kubernetes-schemas';

/** Kinds the L2 constructs emit; only these get L1 classes. */
const EMITTED_KINDS = new Set([
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry',
  'PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication',
]);
/** The only version the L1 classes are generated for. */
const EMITTED_VERSION = 'v1';
/** Deprecated aliases that collide with their camelCase twins once the importer camel-cases them. */
const SNAKE_CASE_ALIASES = new Set(['mirror_percent', 'jwks_uri']);

interface CrdVersion { name: string; served: boolean; storage: boolean; schema?: { openAPIV3Schema: unknown }; [k: string]: unknown }
interface Crd { kind: string; spec: { group: string; names: { kind: string }; versions: CrdVersion[] }; [k: string]: unknown }

const root = path.resolve(__dirname, '..');
const args = parseArgs({ allowPositionals: true, options: { outdir: { type: 'string', default: path.join(root, 'imports') } } });
const bundle = path.resolve(args.positionals[0] ?? process.env.ISTIO_CRD_BUNDLE
  ?? path.join(root, '..', 'shared', 'istio', 'crd-all.gen.yaml'));
const outdir = path.resolve(args.values.outdir!);

/** Returns a deep copy of a schema without prose (`description`) and without the given property names. */
function stripSchema(node: unknown, dropProps: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) return node.map(n => stripSchema(n, dropProps));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && typeof value === 'string') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      const props: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        if (!dropProps.has(name)) props[name] = stripSchema(sub, dropProps);
      }
      out[key] = props;
      continue;
    }
    out[key] = stripSchema(value, dropProps);
  }
  return out;
}

function readBundle(): Crd[] {
  if (!fs.existsSync(bundle)) {
    throw new Error(`CRD bundle not found at ${bundle}: pass its path as the first argument or set ISTIO_CRD_BUNDLE.`);
  }
  return (yaml.loadAll(fs.readFileSync(bundle, 'utf8')) as Crd[])
    .filter(d => d && d.kind === 'CustomResourceDefinition');
}

/** Writes the trimmed bundle and runs `cdk8s import` on it. */
function generateL1(crds: Crd[]): void {
  const trimmed = crds
    .filter(c => EMITTED_KINDS.has(c.spec.names.kind))
    .map(c => {
      const version = c.spec.versions.find(v => v.name === EMITTED_VERSION);
      if (!version) throw new Error(`${c.spec.names.kind} has no ${EMITTED_VERSION} version in ${bundle}`);
      // cdk8s import only reads the schema; keep the CRD minimal so nothing else leaks in.
      return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${c.spec.names.kind.toLowerCase()}s.${c.spec.group}` },
        spec: {
          group: c.spec.group,
          names: c.spec.names,
          scope: 'Namespaced',
          versions: [{ ...version, schema: stripSchema(version.schema, SNAKE_CASE_ALIASES) }],
        },
      };
    });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-import-'));
  const file = path.join(tmp, 'istio-crds.yaml');
  fs.writeFileSync(file, trimmed.map(c => yaml.dump(c, { noRefs: true })).join('---\n'));
  for (const f of fs.readdirSync(outdir)) {
    if (/\.istio\.io\.ts$/.test(f)) fs.rmSync(path.join(outdir, f));
  }
  const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  execFileSync(process.execPath, [cdk8sCli, 'import', file, '--language', 'typescript', '--output', outdir, '--no-save'], {
    cwd: root, stdio: 'inherit',
  });
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Writes imports/istio-crd-schemas.ts: every kind and served version, identical schemas stored once. */
function generateSchemaModule(crds: Crd[]): void {
  const schemas: unknown[] = [];
  const indexByJson = new Map<string, number>();
  const kinds: Record<string, number> = {};
  for (const crd of crds) {
    for (const version of crd.spec.versions.filter(v => v.served)) {
      const json = JSON.stringify(stripSchema(version.schema?.openAPIV3Schema ?? {}, new Set()));
      let index = indexByJson.get(json);
      if (index === undefined) {
        index = schemas.push(JSON.parse(json)) - 1;
        indexByJson.set(json, index);
      }
      kinds[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = index;
    }
  }
  const payload = JSON.stringify({ kinds, schemas });
  const source = [
    '// Generated by `npm run import` (scripts/import-crds.ts) from the Istio CRD bundle. Do not edit.',
    '',
    '/** openAPIV3Schema per `group/version/kind` (an index into `schemas`), descriptions stripped. */',
    'export interface IstioCrdSchemas {',
    '  /** `group/version/kind` to an index into `schemas`. */',
    '  readonly kinds: Readonly<Record<string, number>>;',
    '  /** The distinct schemas. */',
    '  readonly schemas: readonly Record<string, unknown>[];',
    '}',
    '',
    '/** The schemas of every Istio kind and served version, parsed once on first import. */',
    `export const ISTIO_CRD_SCHEMAS: IstioCrdSchemas = JSON.parse(${JSON.stringify(payload)});`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(outdir, 'istio-crd-schemas.ts'), source);
}

function main(): void {
  fs.mkdirSync(outdir, { recursive: true });
  const crds = readBundle();
  generateL1(crds);
  generateSchemaModule(crds);
  fs.writeFileSync(path.join(outdir, 'kubernetes-schemas.ts'), kubernetesSchemaModule(root));
  for (const f of fs.readdirSync(outdir).sort()) {
    console.log(`${path.relative(root, path.join(outdir, f))}: ${(fs.statSync(path.join(outdir, f)).size / 1024).toFixed(0)} KiB`);
  }
}

main();
