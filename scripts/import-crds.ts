/**
 * Regenerates everything under imports/ from the Istio CRD bundle and the Gateway API CRDs
 * (`npm run import`).
 *
 *   node --import tsx scripts/import-crds.ts [--outdir imports] [--gateway-api dir] [path/to/crd-all.gen.yaml]
 *
 * The Istio bundle defaults to ../shared/istio/crd-all.gen.yaml (or $ISTIO_CRD_BUNDLE), the Gateway
 * API CRDs to every YAML file of ../shared/gateway-api/ (or $GATEWAY_API_CRDS): v1.5.1, the version
 * Istio 1.30 builds against, standard channel plus the experimental TCPRoute. Two outputs:
 *
 * - L1 classes (`imports/<group>.ts`) via `cdk8s import`, from a trimmed copy of the CRDs: only
 *   the kinds the library emits, only the version it writes (v1; TCPRoute v1alpha2), descriptions
 *   stripped and the deprecated snake_case aliases (`mirror_percent`, `jwks_uri`) dropped so the
 *   importer cannot emit them; their `toJson_…` conversions then drop undefined members in one
 *   pass instead of the importer's quadratic copy (scripts/linear-to-json.ts).
 * - `imports/crd-schemas.ts`: the openAPIV3Schema of every kind and served version of both (for
 *   the validator, which must accept any Istio or Gateway API YAML), descriptions stripped,
 *   identical schemas shared.
 *
 * Then `imports/kubernetes-schemas.ts`, the built-in Kubernetes kinds' JSON Schemas, from the
 * kubernetes-models devDependency (scripts/import-kubernetes-schemas.ts), and
 * `imports/kubernetes-l1.ts`, the Kubernetes L1 classes the library emits, from cdk8s-plus-28's
 * generated module (scripts/import-kubernetes-l1.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { writeKubernetesL1 } from './import-kubernetes-l1';
import { kubernetesSchemaModule } from './import-kubernetes-schemas';
import { DEFINED_ENTRIES_MODULE, linearToJson } from './linear-to-json';

/** The version of each `group/kind` the L2 constructs emit; only these get L1 classes. */
const EMITTED: Readonly<Record<string, string>> = {
  'networking.istio.io/Gateway': 'v1',
  'networking.istio.io/VirtualService': 'v1',
  'networking.istio.io/DestinationRule': 'v1',
  'networking.istio.io/ServiceEntry': 'v1',
  'networking.istio.io/Sidecar': 'v1',
  'networking.istio.io/EnvoyFilter': 'v1alpha3',
  'telemetry.istio.io/Telemetry': 'v1',
  'security.istio.io/PeerAuthentication': 'v1',
  'security.istio.io/AuthorizationPolicy': 'v1',
  'security.istio.io/RequestAuthentication': 'v1',
  'gateway.networking.k8s.io/Gateway': 'v1',
  'gateway.networking.k8s.io/HTTPRoute': 'v1',
  'gateway.networking.k8s.io/GRPCRoute': 'v1',
  'gateway.networking.k8s.io/TLSRoute': 'v1',
  'gateway.networking.k8s.io/ReferenceGrant': 'v1',
  'gateway.networking.k8s.io/TCPRoute': 'v1alpha2',
};
/** Deprecated aliases that collide with their camelCase twins once the importer camel-cases them. */
const SNAKE_CASE_ALIASES = new Set(['mirror_percent', 'jwks_uri']);

interface CrdVersion { name: string; served: boolean; storage: boolean; schema?: { openAPIV3Schema: unknown }; [k: string]: unknown }
interface Crd { kind: string; spec: { group: string; names: { kind: string }; versions: CrdVersion[] }; [k: string]: unknown }

const root = path.resolve(__dirname, '..');
const args = parseArgs({
  allowPositionals: true,
  options: { 'outdir': { type: 'string', default: path.join(root, 'imports') }, 'gateway-api': { type: 'string' } },
});
const bundle = path.resolve(args.positionals[0] ?? process.env.ISTIO_CRD_BUNDLE
  ?? path.join(root, '..', 'shared', 'istio', 'crd-all.gen.yaml'));
const gatewayApiDir = path.resolve(args.values['gateway-api'] ?? process.env.GATEWAY_API_CRDS
  ?? path.join(root, '..', 'shared', 'gateway-api'));
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

/** The CustomResourceDefinitions of one YAML file. */
function readCrds(file: string, what: string): Crd[] {
  if (!fs.existsSync(file)) {
    throw new Error(`${what} not found at ${file}: pass its path or set ISTIO_CRD_BUNDLE / GATEWAY_API_CRDS.`);
  }
  return (yaml.loadAll(fs.readFileSync(file, 'utf8')) as Crd[]).filter(d => d && d.kind === 'CustomResourceDefinition');
}

/** Istio's CRDs, then the Gateway API's (its files in name order). */
function readAllCrds(): Crd[] {
  if (!fs.existsSync(gatewayApiDir)) {
    throw new Error(`Gateway API CRDs not found at ${gatewayApiDir}: pass --gateway-api or set GATEWAY_API_CRDS.`);
  }
  const gatewayApi = fs.readdirSync(gatewayApiDir).filter(f => /\.ya?ml$/.test(f)).sort()
    .flatMap(f => readCrds(path.join(gatewayApiDir, f), 'Gateway API CRDs'));
  return [...readCrds(bundle, 'Istio CRD bundle'), ...gatewayApi];
}

/** Writes the trimmed bundle and runs `cdk8s import` on it. */
function generateL1(crds: Crd[]): void {
  const trimmed = crds
    .filter(c => EMITTED[`${c.spec.group}/${c.spec.names.kind}`] !== undefined)
    .map(c => {
      const wanted = EMITTED[`${c.spec.group}/${c.spec.names.kind}`];
      const version = c.spec.versions.find(v => v.name === wanted);
      if (!version) throw new Error(`${c.spec.group}/${c.spec.names.kind} has no ${wanted} version`);
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
  const file = path.join(tmp, 'crds.yaml');
  fs.writeFileSync(file, trimmed.map(c => yaml.dump(c, { noRefs: true })).join('---\n'));
  for (const f of fs.readdirSync(outdir)) {
    if (/\.(istio\.io|k8s\.io)\.ts$/.test(f)) fs.rmSync(path.join(outdir, f));
  }
  const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  execFileSync(process.execPath, [cdk8sCli, 'import', file, '--language', 'typescript', '--output', outdir, '--no-save'], {
    cwd: root, stdio: 'inherit',
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const f of fs.readdirSync(outdir).filter(name => /\.(istio\.io|k8s\.io)\.ts$/.test(name))) {
    const generated = path.join(outdir, f);
    fs.writeFileSync(generated, linearToJson(fs.readFileSync(generated, 'utf8')));
  }
}

/** Writes imports/crd-schemas.ts: every kind and served version, identical schemas stored once. */
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
    '// Generated by `npm run import` (scripts/import-crds.ts) from the Istio and Gateway API CRDs. Do not edit.',
    '',
    '/** openAPIV3Schema per `group/version/kind` (an index into `schemas`), descriptions stripped. */',
    'export interface CrdSchemas {',
    '  /** `group/version/kind` to an index into `schemas`. */',
    '  readonly kinds: Readonly<Record<string, number>>;',
    '  /** The distinct schemas. */',
    '  readonly schemas: readonly Record<string, unknown>[];',
    '}',
    '',
    '/** The schemas of every Istio and Gateway API kind and served version, parsed once on first import. */',
    `export const CRD_SCHEMAS: CrdSchemas = JSON.parse(${JSON.stringify(payload)});`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(outdir, 'crd-schemas.ts'), source);
}

function main(): void {
  fs.mkdirSync(outdir, { recursive: true });
  const crds = readAllCrds();
  generateL1(crds);
  generateSchemaModule(crds);
  fs.writeFileSync(path.join(outdir, 'kubernetes-schemas.ts'), kubernetesSchemaModule(root));
  writeKubernetesL1(root, outdir);
  fs.writeFileSync(path.join(outdir, 'defined-entries.ts'), DEFINED_ENTRIES_MODULE);
  for (const f of fs.readdirSync(outdir).sort()) {
    console.log(`${path.relative(root, path.join(outdir, f))}: ${(fs.statSync(path.join(outdir, f)).size / 1024).toFixed(0)} KiB`);
  }
}

main();
