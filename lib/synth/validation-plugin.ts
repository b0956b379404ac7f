import { analyzeSets, checkDocuments } from './pipeline';
import { AnalysisMessage, MESSAGE_TYPES, MessageLevel } from '../analysis/messages';
import { readManifests } from '../analysis/read-manifests';

/** The parts of cdk8s-cli's `ValidationContext` the plugin uses (cdk8s-cli passes the real one). */
export interface ValidationContextLike {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** The report the plugin fills. */
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/** Properties of {@link IstioValidation}, set under `properties:` in cdk8s.yaml. */
export interface IstioValidationProps {
  /**
   * The lowest level that fails the synth.
   * @default 'Error'
   */
  readonly failOn?: MessageLevel;
}

const LEVELS: readonly MessageLevel[] = ['Info', 'Warning', 'Error'];

/**
 * A cdk8s validation plugin running the mesh analysis (istioctl's checks, CRD schemas with CEL)
 * over what `cdk8s synth` wrote. In any cdk8s project's cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio   # by path: a bare name is fetched from the npm registry
 *     version: <installed version>
 *     class: IstioValidation
 * ```
 *
 * Each finding becomes a violation named `<code> <name>`, with the resource, its field path and
 * (when cdk8s records construct metadata) the construct path.
 */
export class IstioValidation {
  private readonly failOn: MessageLevel;

  constructor(props: IstioValidationProps = {}) {
    this.failOn = props.failOn ?? 'Error';
    if (!LEVELS.includes(this.failOn)) {
      throw new Error(`IstioValidation: failOn: "${this.failOn}" is not a level. Fix: use one of ${LEVELS.join(', ')}`);
    }
  }

  /** Runs the analysis and submits the report (cdk8s-cli calls this). */
  public async validate(context: ValidationContextLike): Promise<void> {
    // Steps 5 and 6 of the synth pipeline, over what cdk8s wrote: the manifests are one applied set.
    const documents = context.manifests.flatMap(readManifests);
    const messages = [...checkDocuments(documents), ...analyzeSets([documents])];
    const byCode = new Map<string, AnalysisMessage[]>();
    for (const m of messages) byCode.set(m.code, [...byCode.get(m.code) ?? [], m]);
    for (const [code, list] of byCode) {
      context.report.addViolation({
        ruleName: `${code} ${MESSAGE_TYPES[code as keyof typeof MESSAGE_TYPES].name} (${list[0].level})`,
        recommendation: [...new Set(list.map(m => m.message))].join(' | '),
        fix: code.startsWith('IST')
          ? `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`
          : 'https://kiali.io/docs/features/validations/',
        violatingResources: list.map(m => ({
          resourceName: m.resource.name,
          locations: m.field ? [m.field] : [],
          manifestPath: m.resource.source?.file ?? '',
        })),
      });
    }
    const failing = messages.some(m => LEVELS.indexOf(m.level) >= LEVELS.indexOf(this.failOn));
    context.report.submit(failing ? 'failure' : 'success', {
      analyzed: String(context.manifests.length), findings: String(messages.length),
    });
  }
}
