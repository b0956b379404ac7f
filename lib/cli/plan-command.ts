import * as fs from 'fs';
import * as path from 'path';
import { EXIT, Output, parseCommandArgs, readCommandInputs, usageError, writeCall } from './command-input';
import { Doc } from '../analysis/mesh-index';
import { STDIN_PATH, UnreadableInputError, fsCall } from '../analysis/read-manifests';
import { isDnsLabel } from '../core/dns';
import { makeFolders } from '../core/folders';
import { jsYaml } from '../core/js-yaml-lazy';
import { argoCdCommits, fluxCommits, fluxKustomizations } from '../plan/gitops';
import { ApplyPlan, PlanAction, planApply } from '../plan/plan';

const USAGE = `Usage: cdk8s-istio plan <old> <new> [--out <dir> [--argocd | --flux]] [--output text|json] [--recursive]

Orders the change from the manifests in <old> (e.g. the committed dist/<app>/) to those in <new>
so that no request meets a subset or workload that is not there: workloads, then
DestinationRules, then VirtualServices and Gateway API routes, then what no route uses any more.
<old> and <new> are files or directories, read like \`kubectl apply -f\` (subfolders with
--recursive), or - for the standard input, for one of them:
  git show HEAD~1:dist/bookinfo/bookinfo.yaml | cdk8s-istio plan - dist/bookinfo
<old> may be an empty directory (a first deploy).
  --out <dir>         write the phases (a new or empty folder): N-<phase>.yaml to apply and
                      N-<phase>.delete.yaml to delete, in order
  --argocd            with --out: commit-N/manifests.yaml, annotated with argocd.argoproj.io/sync-wave
  --flux              with --out: kustomizations.yaml (Flux Kustomizations chained by dependsOn) and
                      commit-N/<phase>/manifests.yaml
  --flux-path <path>  the folder of the Git repository the Kustomizations read (default: ./<out>)
  --name <prefix>     the Kustomizations' name prefix (default: the name of <new>)
Exit code: 0 planned (also when nothing changed), 2 unreadable input or bad usage, 3 internal error.`;

/** Runs `plan` with its arguments; returns the exit code. */
export function planCommand(args: readonly string[], io: Output): number {
  const parsed = parseCommandArgs(args, {
    'out': { type: 'string' },
    'argocd': { type: 'boolean', default: false },
    'flux': { type: 'boolean', default: false },
    'flux-path': { type: 'string' },
    'name': { type: 'string' },
    'output': { type: 'string', short: 'o', default: 'text' },
    'recursive': { type: 'boolean', short: 'R', default: false },
  }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const gitops = values.argocd || values.flux || values['flux-path'] !== undefined;
  const problem = positionals.length !== 2 ? `expected <old> and <new>, got ${positionals.length} path(s)`
    : !['text', 'json'].includes(values.output!) ? `unknown output "${values.output}" (use text or json)`
      : values.argocd && values.flux ? '--argocd and --flux exclude each other'
        : gitops && values.out === undefined ? '--argocd and --flux need --out <dir>'
          : positionals.every(p => p === STDIN_PATH) ? '<old> and <new> are both - (the standard input, which can be read once)'
            : values.out === '' ? '--out is empty (give a new or empty folder)'
              : undefined;
  if (problem) return usageError(io, problem, USAGE);
  const [oldPath, newPath] = positionals;
  const name = values.name ?? ((newPath !== STDIN_PATH && path.basename(path.resolve(newPath)).replace(/\.(ya?ml|json)$/, '')) || 'app');
  // the Kustomizations are named <name>-<phase> (at most 12 letters): a DNS-1123 subdomain of at most 253
  if (values.flux && !(isDnsLabel(name) && name.length <= 50)) {
    const from = values.name === undefined ? `the name of ${newPath}, ` : '';
    return usageError(io, `--name "${name}" (${from}the prefix of the Kustomizations' names) is not a name Kubernetes accepts; `
      + 'use at most 50 lower-case letters, digits and "-", starting and ending with a letter or digit (pass --name)', USAGE);
  }
  if (values.flux && values['flux-path'] === undefined && outsideWorkingFolder(values.out!)) {
    return usageError(io, `--out ${values.out} is outside the current folder, so its path in the Git repository Flux reads is not `
      + 'known; pass --flux-path <its path in the repository>, or run the command from the repository\'s root', USAGE);
  }
  let oldDocs: Doc[];
  let newDocs: Doc[];
  try {
    oldDocs = readCommandInputs([oldPath], { recursive: values.recursive!, allowEmpty: true, schemaValid: true }).inputs.map(i => i.doc);
    newDocs = readCommandInputs([newPath], { recursive: values.recursive!, io, schemaValid: true }).inputs.map(i => i.doc);
    if (values.out !== undefined) checkOutFolder(values.out);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const plan = planApply(oldDocs, newDocs);
  let written: Written = { files: [], steps: [] };
  if (values.out !== undefined) {
    const out = values.out;
    const format = values.argocd ? 'argocd' : values.flux ? 'flux' : 'kubectl';
    const fluxPath = values['flux-path'] ?? `./${path.relative(process.cwd(), path.resolve(out)).split(path.sep).join('/')}`;
    try {
      written = writeCall(out, () => writePlan(plan, oldDocs, newDocs, { out, format, fluxPath, name }));
    } catch (e) {
      if (!(e instanceof UnreadableInputError)) throw e;
      io.err(`Error: ${e.message}\n`);
      return EXIT.UNREADABLE;
    }
  }
  if (values.output === 'json') io.out(`${JSON.stringify(planJson(plan, written), null, 2)}\n`);
  else io.out(planText(plan, written));
  return EXIT.CLEAN;
}

/** Whether `out` lies outside the working folder (the default --flux-path is its path from there). */
function outsideWorkingFolder(out: string): boolean {
  const relative = path.relative(process.cwd(), path.resolve(out));
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/** The output folder must be new or empty: files of an earlier plan must not mix with this one's. */
function checkOutFolder(out: string): void {
  const stat = fsCall(out, () => fs.statSync(out, { throwIfNoEntry: false }));
  if (stat === undefined) return;
  if (!stat.isDirectory()) throw new UnreadableInputError(`${out}: not a directory. Fix: give --out a new or empty folder`);
  if (fsCall(out, () => fs.readdirSync(out)).length > 0) {
    throw new UnreadableInputError(`${out}: not empty (files of an earlier plan would mix with this one's). `
      + 'Fix: remove it or give another folder');
  }
}

/** What {@link writePlan} wrote, and how to apply it, step by step. */
interface Written {
  readonly files: readonly string[];
  readonly steps: readonly string[];
}

interface WriteOptions {
  readonly out: string;
  readonly format: 'kubectl' | 'argocd' | 'flux';
  readonly fluxPath: string;
  readonly name: string;
}

function writePlan(plan: ApplyPlan, oldDocs: readonly Doc[], newDocs: readonly Doc[], options: WriteOptions): Written {
  const files: string[] = [];
  const steps: string[] = [];
  const write = (relative: string, docs: readonly Doc[]) => {
    const file = path.join(options.out, relative);
    makeFolders(path.dirname(file));
    fs.writeFileSync(file, docs.map(d => jsYaml().dump(d, { lineWidth: -1, noRefs: true })).join('---\n'));
    files.push(file);
    return file;
  };
  if (options.format === 'kubectl') {
    plan.phases.forEach((phase, i) => {
      const applied = phase.actions.filter(a => a.action !== 'delete');
      const deleted = phase.actions.filter(a => a.action === 'delete');
      if (applied.length > 0) steps.push(`kubectl apply -f ${write(`${i + 1}-${phase.name}.yaml`, applied.map(a => a.doc))}`);
      if (deleted.length > 0) {
        steps.push(`kubectl delete --ignore-not-found -f ${write(`${i + 1}-${phase.name}.delete.yaml`, deleted.map(a => a.doc))}`);
      }
      steps.push(...waitSteps(phase.actions, i === plan.phases.length - 1));
    });
  } else if (options.format === 'argocd') {
    argoCdCommits(plan, oldDocs, newDocs).forEach((docs, i, all) => {
      const file = write(`commit-${i + 1}/manifests.yaml`, docs);
      steps.push(`commit ${file} as the Application's manifests and sync${i < all.length - 1 ? '; once it is synced and healthy:' : ''}`);
    });
  } else {
    const commits = fluxCommits(plan, oldDocs, newDocs);
    const kustomizations = fluxKustomizations(commits, { name: options.name, path: options.fluxPath });
    steps.push(`commit ${write('kustomizations.yaml', kustomizations)} where Flux reads it (e.g. beside flux-system)`);
    commits.forEach((commit, i) => {
      const folders = Object.entries(commit).filter(([, docs]) => docs.length > 0)
        .map(([phase, docs]) => path.dirname(write(`commit-${i + 1}/${phase}/manifests.yaml`, docs)));
      steps.push(`commit the folders ${folders.join(', ')} as ${options.fluxPath}/<phase>/`
        + `${i < commits.length - 1 ? '; once every Kustomization is ready:' : ''}`);
    });
  }
  return { files, steps };
}

/** What to wait for after a phase: the rollouts of its workloads, the proxies taking new routing. */
function waitSteps(actions: readonly PlanAction[], last: boolean): string[] {
  const rollouts = actions.filter(a => a.action !== 'delete' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(a.doc.kind))
    .map(a => `kubectl -n ${a.doc.metadata?.namespace ?? 'default'} rollout status ${a.doc.kind.toLowerCase()}/${a.doc.metadata?.name}`);
  const routing = actions.some(a => a.doc.apiVersion?.startsWith?.('networking.istio.io/'));
  return [...rollouts, ...(routing && !last ? ['istioctl proxy-status   # until every proxy is SYNCED'] : [])];
}

function describe(doc: Doc): string {
  const ns = doc.metadata?.namespace;
  return `${doc.kind} ${ns ? `${ns}/` : ''}${doc.metadata?.name ?? '?'}`;
}

function planText(plan: ApplyPlan, written: Written): string {
  if (plan.phases.length === 0) return `No changes (${plan.unchanged} objects unchanged).\n`;
  const changes = plan.phases.reduce((n, p) => n + p.actions.length, 0);
  const lines = [`${changes} action(s) in ${plan.phases.length} phase(s), ${plan.unchanged} object(s) unchanged`
    + `${plan.commits === 2 ? '; with a GitOps engine, in 2 commits (the removals in the second)' : ''}:`];
  plan.phases.forEach((phase, i) => {
    lines.push('', `Phase ${i + 1}/${plan.phases.length} ${phase.name}: ${phase.title}`);
    const width = Math.max(...phase.actions.map(a => describe(a.doc).length));
    for (const a of phase.actions) lines.push(`  ${a.action.padEnd(6)}  ${describe(a.doc).padEnd(width)}  ${a.reason}`);
  });
  if (written.files.length > 0) {
    lines.push('', `Wrote ${written.files.length} file(s). In order:`, ...written.steps.map(s => `  ${s}`));
  }
  return `${lines.join('\n')}\n`;
}

function planJson(plan: ApplyPlan, written: Written): Doc {
  return {
    commits: plan.commits,
    unchanged: plan.unchanged,
    phases: plan.phases.map(p => ({
      name: p.name,
      title: p.title,
      actions: p.actions.map(a => ({
        action: a.action,
        apiVersion: a.doc.apiVersion,
        kind: a.doc.kind,
        ...(a.doc.metadata?.namespace && { namespace: a.doc.metadata.namespace }),
        name: a.doc.metadata?.name,
        reason: a.reason,
      })),
    })),
    files: written.files,
    steps: written.steps,
  };
}
