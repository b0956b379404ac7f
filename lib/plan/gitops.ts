/**
 * An {@link ApplyPlan} in the forms GitOps engines apply in order: Argo CD sync waves and Flux
 * Kustomizations chained by `dependsOn`. Both order the objects of one commit by their kind's
 * phase (workloads, then DestinationRules, then VirtualServices), waiting for each to be healthy;
 * a change that also removes things takes a second commit for the removals (`plan.commits`).
 */
import { ApplyPlan, KindPhaseName, latestObjects, phaseOfKind, stateAfter } from './plan';
import { Doc } from '../analysis/mesh-index';

/** The annotation that orders an object's apply in an Argo CD sync. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The phases a commit orders, as Argo CD waves (their index) and Flux Kustomizations. */
const ORDERED_PHASES: readonly KindPhaseName[] = ['workloads', 'destinations', 'routes'];

/** The objects of one commit for one phase's Flux Kustomization. */
export type FluxCommit = Readonly<Record<KindPhaseName, readonly Doc[]>>;

/** The desired states to commit in turn: one, or two when the plan removes things as well. */
export function commitStates(plan: ApplyPlan, oldDocs: readonly Doc[], newDocs: readonly Doc[]): Doc[][] {
  const final = [...latestObjects(newDocs).values()];
  return plan.commits === 1 ? [final] : [stateAfter(plan, oldDocs, plan.phases.length - 1), final];
}

/**
 * Each commit's objects, each annotated with its Argo CD sync wave: 0 for workloads, Services and
 * policies, 1 for DestinationRules, 2 for VirtualServices. Argo CD applies a wave once the
 * previous one is synced and healthy (a Deployment rolled out), and deletes what a commit no
 * longer holds (with pruning on).
 */
export function argoCdCommits(plan: ApplyPlan, oldDocs: readonly Doc[], newDocs: readonly Doc[]): Doc[][] {
  return commitStates(plan, oldDocs, newDocs).map(docs => docs.map(doc => {
    const wave = String(ORDERED_PHASES.indexOf(phaseOfKind(doc)));
    return { ...doc, metadata: { ...doc.metadata, annotations: { ...doc.metadata?.annotations, [ARGOCD_SYNC_WAVE]: wave } } };
  }));
}

/** Options of {@link fluxKustomizations}. */
export interface FluxOptions {
  /** The prefix of the Kustomizations' names, e.g. the app: `bookinfo-workloads`. */
  readonly name: string;
  /** The folder in the source that holds one subfolder per phase, e.g. `./deploy/bookinfo`. */
  readonly path: string;
  /** The GitRepository the Kustomizations read. @default 'flux-system' */
  readonly sourceName?: string;
  /** The namespace of the Kustomizations and their source. @default 'flux-system' */
  readonly namespace?: string;
}

/**
 * One Flux Kustomization per phase that the commits hold objects for, reading `<path>/<phase>`,
 * each depending on the one before: Flux reconciles a Kustomization only once those it depends on
 * are ready, `wait` makes it ready only when what it applied is healthy, and `prune` deletes what
 * its folder no longer holds. An object keeps its phase (by its kind) from one change to the next,
 * so it stays owned by one Kustomization.
 */
export function fluxKustomizations(commits: readonly FluxCommit[], options: FluxOptions): Doc[] {
  const namespace = options.namespace ?? 'flux-system';
  const present = ORDERED_PHASES.filter(phase => commits.some(c => c[phase].length > 0));
  return present.map((phase, i) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `${options.name}-${phase}`, namespace },
    spec: {
      ...(i > 0 && { dependsOn: [{ name: `${options.name}-${present[i - 1]}` }] }),
      interval: '10m',
      path: `${options.path.replace(/\/+$/, '')}/${phase}`,
      prune: true,
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: options.sourceName ?? 'flux-system' },
    },
  }));
}

/** Each commit's objects split by the phase of their kind, for the folders of {@link fluxKustomizations}. */
export function fluxCommits(plan: ApplyPlan, oldDocs: readonly Doc[], newDocs: readonly Doc[]): FluxCommit[] {
  return commitStates(plan, oldDocs, newDocs).map(docs => ({
    workloads: docs.filter(d => phaseOfKind(d) === 'workloads'),
    destinations: docs.filter(d => phaseOfKind(d) === 'destinations'),
    routes: docs.filter(d => phaseOfKind(d) === 'routes'),
  }));
}
