import { IConstruct } from 'constructs';
import { Check, checkWith, describeGiven } from './check';
import { imageProblem } from './containers';
import { MeshConfigError } from './errors';
import { isIpOrCidr, isPortNumber } from './network';
import { isQuantity } from './quantity';
import { re2Problem } from './regex';
import { RETRY_ON_POLICIES, invalidRetryOn } from './retry-on';

/**
 * Construct-side checks over the predicates of lib/core: each throws a {@link MeshConfigError}
 * naming the construct, the prop and the fix, and returns the value when it is valid.
 */

/** Checks a port number (an integer from 1 to 65535). */
export const checkPortNumber: Check<number> = checkWith<number>(isPortNumber,
  v => (typeof v === 'number' ? `${v} is not a port number` : `must be a port number, not ${describeGiven(v)}`),
  'use an integer from 1 to 65535');

/** Checks a regex Istio matches with (RE2 syntax, at most 1024 bytes). */
export function checkRe2(scope: IConstruct, field: string, pattern: string): string {
  const problem = re2Problem(pattern);
  if (problem !== undefined) {
    throw new MeshConfigError(scope, field, problem,
      'write an RE2 regex (no lookaround or backreferences, see https://github.com/google/re2/wiki/Syntax) of at most 1024 bytes');
  }
  return pattern;
}

/** Checks retryOn conditions (each one Envoy condition or HTTP status code, no spaces). */
export function checkRetryOn(scope: IConstruct, field: string, conditions: readonly string[]): readonly string[] {
  conditions.forEach((condition, i) => {
    const bad = invalidRetryOn(condition);
    if (bad.length > 0) {
      throw new MeshConfigError(scope, `${field}[${i}]`,
        `${bad.map(b => JSON.stringify(b)).join(', ')} is not a retry condition Istio accepts`,
        `use a RetryOn value (${[...RETRY_ON_POLICIES].join(', ')}) or an HTTP status code such as '503', one per entry without spaces`);
    }
  });
  return conditions;
}

/** Checks a Kubernetes resource quantity that must not be negative (`100m`, `0.5`, `128Mi`). */
export const checkQuantity: Check<string> = checkWith(v => isQuantity(v) && !v.startsWith('-'),
  v => `"${v}" is not a non-negative Kubernetes quantity`, 'use e.g. "100m" or "0.5" for CPU, "128Mi" or "1Gi" for memory');

/** Checks a container image reference (`[registry[:port]/]repository[:tag][@digest]`, repository in lower case). */
export function checkImage(scope: IConstruct, field: string, image: string): string {
  if (typeof image !== 'string' || image.trim() === '') {
    throw new MeshConfigError(scope, field, `the container has no image (${describeGiven(image)})`,
      'give it an image reference, e.g. image: "registry.example.com/org/app:1.0"');
  }
  const problem = imageProblem(image);
  if (problem !== undefined) {
    throw new MeshConfigError(scope, field, problem,
      'use a reference such as "registry.example.com/org/app:1.0" (lower-case repository, no spaces)');
  }
  return image;
}

/** Checks a ServiceEntry address (an IP address or CIDR block). */
export const checkIpOrCidr: Check<string> = checkWith(isIpOrCidr, v => `"${v}" is not an IP address or CIDR block`,
  'use an address such as "10.0.0.7" or a block such as "10.0.0.0/24"');
