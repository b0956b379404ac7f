import { podTemplateRules } from './pod-template-rules';
import { AdmissionRule, Json, Report, childPath, objectAt, objectsIn } from './rule';
import { credentialFix, credentialNameProblem } from '../core/credential-name';
import { NOT_SECRET_ENV_ANNOTATION, isHarmlessEnvLiteral, isSecretEnvName, notSecretEnvNames } from '../core/secret-env-name';
import { containsPemPrivateKey, jwksProblem } from '../core/secret-material';

/**
 * No secret material in a manifest: inline JWKS with private or symmetric keys
 * (RequestAuthentication), TLS credentials that are not Secret references or PEM private keys
 * anywhere (Gateway, DestinationRule, ServiceEntry), and literal env values whose names say
 * secret (Pods and workloads' pod templates; opt out per variable with the
 * `cdk8s-istio.io/not-secret-env` annotation on the workload).
 */
export const secretRules: AdmissionRule = {
  kinds: [
    'security.istio.io/RequestAuthentication',
    'networking.istio.io/Gateway', 'networking.istio.io/DestinationRule', 'networking.istio.io/ServiceEntry',
    ...podTemplateRules.kinds,
  ],
  check(doc, report) {
    switch (doc.kind) {
      case 'RequestAuthentication': return checkJwks(doc, report);
      case 'Gateway': return checkTlsMaterial(doc, 'spec', 'gateway', report);
      case 'DestinationRule': return checkTlsMaterial(doc, 'spec', 'client', report);
      case 'ServiceEntry': return checkTlsMaterial(doc, 'spec', undefined, report);
      default: return checkEnvLiterals(doc, report);
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

function checkEnvLiterals(doc: Json, report: Report): void {
  const pod = podSpecOf(doc);
  if (pod === undefined) return;
  const [spec, specPath] = pod;
  const notSecret = notSecretEnvNames(objectAt(objectAt(doc.metadata)?.annotations));
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const [container, containerPath] of objectsIn(spec[list], childPath(specPath, list))) {
      for (const [env, envPath] of objectsIn(container.env, childPath(containerPath, 'env'))) {
        const { name, value } = env;
        if (typeof name !== 'string' || typeof value !== 'string' || notSecret.has(name)) continue;
        if (!isSecretEnvName(name) || isHarmlessEnvLiteral(value)) continue;
        report(childPath(envPath, 'value'),
          `${name} has a literal value, and its name says it is a secret, which would be written into the manifests`,
          'reference a Secret instead (valueFrom.secretKeyRef; EnvValue.fromSecret(\'<secret>\', \'<key>\') in a MeshService); '
          + `if it is not a secret, list ${name} in the workload's ${NOT_SECRET_ENV_ANNOTATION} annotation `
          + '(EnvValue.fromValue(value, { notSecret: true }) does that)');
      }
    }
  }
}
