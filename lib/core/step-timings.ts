/** The environment variable that makes the command and the synth print how long their steps took (`1`), on stderr. */
export const TIMINGS_VARIABLE = 'CDK8S_ISTIO_TIMINGS';

/** Seconds, as the timing lines print them. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * How long each step of a run took, kept only with `CDK8S_ISTIO_TIMINGS=1`: each {@link end}
 * closes the step that began at the previous one (or at the start).
 */
export class StepTimings {
  private readonly steps: string[] = [];
  private last = performance.now();

  constructor(private readonly enabled = process.env[TIMINGS_VARIABLE] === '1') {}

  /** Ends the step named `name`. */
  public end(name: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    this.steps.push(`${name} ${seconds(now - this.last)}`);
    this.last = now;
  }

  /** Writes `<title>: <step> <time>, …` to stderr, when enabled. */
  public print(title: string): void {
    if (this.enabled) process.stderr.write(`${title}: ${this.steps.join(', ')}\n`);
  }
}
