import { podTemplateRules } from './pod-template-rules';
import { AdmissionRule, Json, Report, childPath, listAt, objectAt, objectsIn } from './rule';
import { credentialFix, credentialNameProblem } from '../core/credential-name';
import {
  NOT_SECRET_ENV_ANNOTATION, hasUrlPassword, isHarmlessEnvLiteral, isSecretEnvName, notSecretEnvNames,
} from '../core/secret-env-name';
import { containsPemPrivateKey, jwksProblem } from '../core/secret-material';

/**
 * No secret material in a manifest: inline JWKS with private or symmetric keys
 * (RequestAuthentication), TLS credentials that are not Secret references or PEM private keys
 * anywhere (Gateway, DestinationRule, ServiceEntry), literal env values whose names say secret
 * or that hold a password in a URL (Pods and workloads' pod templates, opt out per variable with
 * the `cdk8s-istio/not-secret-env` annotation on the workload; an IstioOperator's env maps and
 * lists), and container arguments that pass one (`--password=…`).
 */
export const secretRules: AdmissionRule = {
  kinds: [
    'security.istio.io/RequestAuthentication',
    'networking.istio.io/Gateway', 'networking.istio.io/DestinationRule', 'networking.istio.io/ServiceEntry',
    ...podTemplateRules.kinds,
    'install.istio.io/IstioOperator',
  ],
  check(doc, report) {
    switch (doc.kind) {
      case 'RequestAuthentication': return checkJwks(doc, report);
      case 'Gateway': return checkTlsMaterial(doc, 'spec', 'gateway', report);
      case 'DestinationRule': return checkTlsMaterial(doc, 'spec', 'client', report);
      case 'ServiceEntry': return checkTlsMaterial(doc, 'spec', undefined, report);
      case 'IstioOperator': return checkOperatorEnv(doc.spec, 'spec', report);
      default: return checkContainers(doc, report);
    }
  },
};

/** Fields holding a Secret reference: the server or client certificate, and the CA (DestinationRule, Gateway). */
const CREDENTIAL_KEYS = new Set(['credentialName', 'credentialNames', 'caCertCredentialName']);

function checkJwks(doc: Json, report: Report): void {
  for (const [rule, path] of objectsIn(objectAt(doc.spec)?.jwtRules, 'spec.jwtRules')) {
    if (typeof rule.jwks !== 'string') continue;
    const problem = jwksProblem(rule.jwks);
    if (problem) report(childPath(path, 'jwks'), problem.problem, problem.fix);
  }
}

/**
 * Walks every string under `spec`: `credentialName`, `credentialNames[]` and `caCertCredentialName` must be Secret
 * references (for kinds with credentials), and no string may hold a PEM private key.
 */
function checkTlsMaterial(doc: Json, path: string, use: 'gateway' | 'client' | undefined, report: Report): void {
  walkStrings(doc[path], undefined, { doc, path, use, report, keys: [] });
}

/** What {@link walkStrings} carries down: the document, the walked field, the credential use, the keys from the field to here. */
interface TlsWalk {
  readonly doc: Json;
  readonly path: string;
  readonly use: 'gateway' | 'client' | undefined;
  readonly report: Report;
  readonly keys: (string | number)[];
}

function walkStrings(value: unknown, key: string | undefined, w: TlsWalk): void {
  if (typeof value === 'string') {
    const problem = w.use !== undefined && key !== undefined && CREDENTIAL_KEYS.has(key) ? credentialNameProblem(value) : undefined;
    if (problem) {
      w.report(pathAt(w), problem, tlsFix(w));
    } else if (containsPemPrivateKey(value)) {
      w.report(pathAt(w), 'the value holds a PEM private key, which would be written into the manifests', tlsFix(w));
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      w.keys.push(i);
      walkStrings(value[i], key, w);
      w.keys.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) {
      w.keys.push(k);
      walkStrings((value as Json)[k], k, w);
      w.keys.pop();
    }
  }
}

/** The path of the current string: built only for a problem, as most documents have none. */
function pathAt(w: TlsWalk): string {
  return w.keys.reduce<string>((p, k) => childPath(p, k), w.path);
}

function tlsFix(w: TlsWalk): string {
  return w.use === undefined
    ? 'keep keys in Secrets and reference them by name (credentialName in a DestinationRule or Gateway)'
    : credentialFix(w.use, w.use === 'client' ? namespaceOf(w.doc) : undefined);
}

function namespaceOf(doc: Json): string {
  const namespace = objectAt(doc.metadata)?.namespace;
  return typeof namespace === 'string' ? namespace : '<namespace>';
}

/** The pod spec of a Pod or workload document, with its path. */
function podSpecOf(doc: Json): [Json, string] | undefined {
  const spec = objectAt(doc.spec);
  if (doc.kind === 'Pod') return spec && [spec, 'spec'];
  const template = doc.kind === 'CronJob' ? objectAt(objectAt(objectAt(spec?.jobTemplate)?.spec)?.template) : objectAt(spec?.template);
  const podSpec = objectAt(template?.spec);
  return podSpec && [podSpec, doc.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'];
}

const SECRET_REF_FIX = 'reference a Secret instead (valueFrom.secretKeyRef; EnvValue.fromSecret(\'<secret>\', \'<key>\') in a MeshService)';

/** Why a literal env value would put a secret into the manifests, or undefined. */
function literalProblem(name: string, value: string): string | undefined {
  if (isHarmlessEnvLiteral(value)) return undefined;
  const leak = 'which would be written into the manifests';
  if (hasUrlPassword(value)) return `${name} has a literal value with a password in a URL (user:password@), ${leak}`;
  if (isSecretEnvName(name)) return `${name} has a literal value, and its name says it is a secret, ${leak}`;
  return undefined;
}

function checkContainers(doc: Json, report: Report): void {
  const pod = podSpecOf(doc);
  if (pod === undefined) return;
  const [spec, specPath] = pod;
  const notSecret = notSecretEnvNames(objectAt(objectAt(doc.metadata)?.annotations));
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const [container, containerPath] of objectsIn(spec[list], childPath(specPath, list))) {
      for (const [env, envPath] of objectsIn(container.env, childPath(containerPath, 'env'))) {
        const { name, value } = env;
        if (typeof name !== 'string' || typeof value !== 'string' || notSecret.has(name)) continue;
        const problem = literalProblem(name, value);
        if (problem === undefined) continue;
        report(childPath(envPath, 'value'), problem, `${SECRET_REF_FIX}; if it is not a secret, list ${name} in the workload's `
          + `${NOT_SECRET_ENV_ANNOTATION} annotation (EnvValue.fromValue(value, { notSecret: true }) does that)`);
      }
      for (const field of ['command', 'args']) checkArguments(container[field], childPath(containerPath, field), report);
    }
  }
}

/**
 * Arguments that pass a secret on the command line: `--password=hunter2`, `--password hunter2`
 * (an option whose name says secret, with a literal value), or a URL with a password.
 */
function checkArguments(value: unknown, path: string, report: Report): void {
  const args = listAt(value);
  args.forEach((arg, i) => {
    if (typeof arg !== 'string') return;
    const option = /^--?([A-Za-z][-_.A-Za-z0-9]*)(?:=([\s\S]*))?$/.exec(arg);
    const next = args[i + 1];
    const optionValue = option?.[2] ?? (typeof next === 'string' && !next.startsWith('-') ? next : undefined);
    const secretOption = option !== null && optionValue !== undefined && isSecretEnvName(option[1]) && !isHarmlessEnvLiteral(optionValue);
    if (!secretOption && !hasUrlPassword(arg)) return;
    report(childPath(path, i), secretOption
      ? `${arg.split('=')[0]} passes a literal secret on the command line, which would be written into the manifests`
      : 'the argument holds a password in a URL (user:password@), which would be written into the manifests',
    'put the secret in an env var that references a Secret (valueFrom.secretKeyRef; EnvValue.fromSecret in a MeshService) '
      + 'and pass it as $(VAR)');
  });
}

/**
 * The env vars of an IstioOperator: the `env` and `proxyMetadata` maps of its Helm values
 * (`values.pilot.env`, `meshConfig.defaultConfig.proxyMetadata`) and the `k8s.env` lists of its components.
 */
function checkOperatorEnv(value: unknown, path: string, report: Report): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkOperatorEnv(item, childPath(path, i), report));
    return;
  }
  const object = objectAt(value);
  if (object === undefined) return;
  for (const [key, child] of Object.entries(object)) {
    const at = childPath(path, key);
    const map = (key === 'env' || key === 'proxyMetadata') ? objectAt(child) : undefined;
    const entries = map ? Object.entries(map).map(([n, v]) => [n, v, childPath(at, n)] as const)
      : key === 'env' && Array.isArray(child) ? objectsIn(child, at).map(([e, p]) => [e.name, e.value, childPath(p, 'value')] as const)
        : undefined;
    if (entries === undefined) {
      checkOperatorEnv(child, at, report);
      continue;
    }
    for (const [name, literal, where] of entries) {
      const problem = typeof name === 'string' && typeof literal === 'string' ? literalProblem(name, literal) : undefined;
      if (problem) {
        report(where, problem, 'reference a Secret instead: values.pilot.envVarFrom (Helm values) or a component\'s k8s.env with '
          + 'valueFrom.secretKeyRef');
      }
    }
  }
}
