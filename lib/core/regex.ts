/**
 * The longest regex Istio's webhook accepts, in bytes (validateStringRegexp: it approximates
 * Envoy's RE2 program-size limit by the length).
 */
export const MAX_REGEX_BYTES = 1024;

/**
 * RE2 syntax verdicts by pattern (null: the pattern compiles): compiling costs ~0.2 ms, and the
 * same patterns recur across documents, and across the apps of one process.
 */
const VERDICTS = new Map<string, string | null>();

/**
 * Why `pattern` is not a regex Istio and Envoy accept — not RE2 syntax (lookaround, backreferences,
 * unbalanced groups, `\Z` …) or longer than {@link MAX_REGEX_BYTES} — or undefined when it is one.
 * Results are cached by pattern.
 */
export function re2Problem(pattern: string): string | undefined {
  const bytes = pattern.length * 3 <= MAX_REGEX_BYTES ? pattern.length : Buffer.byteLength(pattern, 'utf8');
  if (bytes > MAX_REGEX_BYTES) return `the regex is ${bytes} bytes long, more than the ${MAX_REGEX_BYTES} Istio allows`;
  return re2SyntaxProblem(pattern);
}

/** Whether `pattern` is an RE2 regex Istio accepts (see {@link re2Problem}). */
export function isRe2(pattern: string): boolean {
  return re2Problem(pattern) === undefined;
}

/**
 * Why `pattern` is not RE2 syntax (Go's regexp, as Prometheus compiles its relabel regexes), or
 * undefined when it is; no length limit (see {@link re2Problem} for Istio's).
 */
export function re2SyntaxProblem(pattern: string): string | undefined {
  let verdict = VERDICTS.get(pattern);
  if (verdict === undefined) {
    verdict = compileProblem(pattern);
    VERDICTS.set(pattern, verdict);
  }
  return verdict ?? undefined;
}

function compileProblem(pattern: string): string | null {
  try {
    // re2js is loaded on the first regex: it costs ~35 ms, which `require('cdk8s-istio')` should not pay.
    (require('re2js') as typeof import('re2js')).RE2JS.compile(pattern);
    return null;
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return `${JSON.stringify(pattern)} is not an RE2 regex (${reason})`;
  }
}
