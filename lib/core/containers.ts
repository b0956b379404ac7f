import { memoized } from './memo';

/** Predicates for container fields the API server (or the kubelet) rejects. */

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A Kubernetes environment variable name: letters, digits, '_', '-' and '.', not starting with a digit (`DB=HOST` is not one). */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name);
}

/** A registry host: DNS-ish labels (upper case allowed) or a bracketed IPv6 address, with an optional port. */
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d+)?$/;
/** One repository path component: lower case and digits, joined by '.', '_', '__' or runs of '-'. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * Why `image` is not a container image reference (`[registry[:port]/]repository[:tag][@digest]`,
 * the repository in lower case, no spaces), or undefined when it is one:
 * `registry:5000/org/app:tag@sha256:…` is valid, `Bad Image` and `Org/App` are not.
 */
export const imageProblem: (image: string) => string | undefined = memoized(judgeImage);

function judgeImage(image: string): string | undefined {
  if (image.trim() === '') return 'the image is empty';
  if (/\s/.test(image)) return `${JSON.stringify(image)} contains whitespace, which no image reference has`;
  let rest = image;
  const at = rest.indexOf('@');
  if (at >= 0 && !rest.slice(0, at).includes('/') && rest.slice(at + 1).includes('/')) {
    // user:password@registry/…: not quoted, as the image holds a password
    return 'the image reference starts with credentials (user:password@), which no image reference holds: a registry\'s '
      + 'credentials go in a Secret of type kubernetes.io/dockerconfigjson that the pod names in imagePullSecrets';
  }
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) {
      return `${JSON.stringify(image)} has a malformed digest after '@' (expected e.g. sha256:<64 hex digits>)`;
    }
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    if (!TAG.test(rest.slice(colon + 1))) {
      return `${JSON.stringify(image)} has a malformed tag (at most 128 letters, digits, '_', '.' and '-')`;
    }
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0];
  const hasRegistry = parts.length > 1
    && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (hasRegistry) {
    if (!REGISTRY.test(first)) return `${JSON.stringify(image)} has a malformed registry host "${first}"`;
    parts.shift();
  }
  if (parts.length === 0 || parts.some(p => !PATH_COMPONENT.test(p))) {
    return rest !== rest.toLowerCase() && parts.every(p => PATH_COMPONENT.test(p.toLowerCase()))
      ? `${JSON.stringify(image)} has upper case in its repository name, which must be lower case`
      : `${JSON.stringify(image)} is not an image reference ([registry/]repository[:tag][@digest], `
        + "repository of lower-case letters, digits, '.', '_' and '-')";
  }
  return undefined;
}

