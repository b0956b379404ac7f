import { ApiObject } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { NOT_SECRET_ENV_ANNOTATION, hasUrlPassword, isHarmlessEnvLiteral, isSecretEnvName } from '../core/secret-env-name';

/** Options of {@link EnvValue.fromValue}. */
export interface EnvValueOptions {
  /**
   * Declares that the literal is not a secret although the variable's name looks like one
   * (`TOKEN_AUDIENCE`, `SORT_KEY`), so it may be written into the manifests. The workload's
   * Deployment then lists the variable in the `cdk8s-istio/not-secret-env` annotation, which the
   * synth-time document check reads.
   * @default false: a literal for a name that says secret (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*_KEY`, …) is refused
   */
  readonly notSecret?: boolean;
}

/**
 * The value of a container environment variable: a literal, or a reference to a Secret,
 * ConfigMap or pod field. Secret values are referenced by name and key and never written into
 * the synthesized manifests; a literal for a variable whose name says it is a secret is refused
 * unless declared `notSecret`.
 */
export class EnvValue {
  /** A literal value (written into the manifests as is). */
  public static fromValue(value: string, options: EnvValueOptions = {}): EnvValue {
    return new EnvValue({ value }, options.notSecret === true);
  }

  /** The value of `key` in the Secret `secretName` (in the workload's namespace). */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key } } }, false);
  }

  /** The value of `key` in the ConfigMap `configMapName` (in the workload's namespace). */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } }, false);
  }

  /** A pod field, e.g. `metadata.name` or `status.podIP`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } }, false);
  }

  private constructor(
    private readonly json: Pick<K8s.EnvVar, 'value' | 'valueFrom'>,
    private readonly notSecret: boolean,
  ) {}

  /** @internal The container `env` entry for this value. */
  public _toEnvVar(name: string): K8s.EnvVar {
    return { name, ...this.json };
  }

  /** @internal Whether this literal would write a secret into the manifests (see {@link isSecretEnvName}). */
  public _leaksSecret(name: string): boolean {
    return this.json.value !== undefined && !this.notSecret && isSecretEnvName(name) && !isHarmlessEnvLiteral(this.json.value);
  }

  /** @internal Whether this is a literal holding a password in a URL (refused whatever the variable's name). */
  public _urlPassword(): boolean {
    return this.json.value !== undefined && hasUrlPassword(this.json.value);
  }

  /** @internal Whether this is a literal declared `notSecret` for a variable whose name says secret (it needs the annotation). */
  public _declaredNotSecret(name: string): boolean {
    return this.json.value !== undefined && this.notSecret && isSecretEnvName(name);
  }
}

/**
 * The env values of a container, literals given as strings turned into {@link EnvValue}s; any
 * other value (a number, null: possible from JavaScript) is refused, naming `<field>.<variable>`.
 */
function envValues(scope: IConstruct, field: string, env: Readonly<Record<string, string | EnvValue>>): [string, EnvValue][] {
  return Object.entries(env).map(([name, value]: [string, unknown]) => {
    if (typeof value === 'string') return [name, EnvValue.fromValue(value)];
    if (value instanceof EnvValue) return [name, value];
    throw new MeshConfigError(scope, `${field}.${name}`, `must be a string or an EnvValue, not ${describeGiven(value)}`,
      typeof value === 'number' || typeof value === 'boolean' ? `quote it ('${String(value)}'), as env values are strings`
        : 'give a string, or EnvValue.fromSecret / fromConfigMap / fromFieldPath');
  });
}

/**
 * The container `env` entries for `env`, in order. A literal for a variable whose name says it is
 * a secret is refused with a MeshConfigError naming `<field>.<variable>`, before anything is written.
 */
export function envVarsOf(scope: IConstruct, field: string, env: Readonly<Record<string, string | EnvValue>>): K8s.EnvVar[] {
  return envValues(scope, field, env).map(([name, value]) => {
    if (value._leaksSecret(name)) {
      throw new MeshConfigError(scope, `${field}.${name}`,
        `${name} is given a literal value, and its name says it is a secret, which would be written into the manifests`,
        'keep the value in a Secret and reference it: EnvValue.fromSecret(\'<secret name>\', \'<key>\'); '
        + 'if it is not a secret, use EnvValue.fromValue(value, { notSecret: true })');
    }
    if (value._urlPassword()) {
      throw new MeshConfigError(scope, `${field}.${name}`,
        `${name} is given a literal value with a password in a URL (user:password@), which would be written into the manifests`,
        'keep the password in a Secret: EnvValue.fromSecret(\'<secret name>\', \'<key>\') for a variable of its own, '
        + 'and write the URL with a $(VAR) reference to it (postgres://user:$(DB_PASSWORD)@host/db)');
    }
    return value._toEnvVar(name);
  });
}

/**
 * Lists the variables declared `notSecret` in the workload's `cdk8s-istio/not-secret-env`
 * annotation, so the synth-time document check accepts their literals. Does nothing when there are none.
 */
export function annotateNotSecretEnv(workload: ApiObject, env: Readonly<Record<string, string | EnvValue>> | undefined): void {
  const names = envValues(workload, 'env', env ?? {}).filter(([name, value]) => value._declaredNotSecret(name)).map(([name]) => name);
  if (names.length > 0) workload.metadata.addAnnotation(NOT_SECRET_ENV_ANNOTATION, names.join(','));
}
