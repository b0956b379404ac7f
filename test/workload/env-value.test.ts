import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { EnvValue, MeshService, analyze, writeManifests } from '../../lib';
import { NOT_SECRET_ENV_ANNOTATION, isSecretEnvName } from '../../lib/core/secret-env-name';
import { deployment, expectAccepted, expectProblemAt, podWith } from '../admission/documents';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

function serviceWithEnv(env: Record<string, string | EnvValue>) {
  const { chart } = newChart();
  const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1.0', env } } });
  return { chart, svc };
}

describe('which env var names say secret', () => {
  test.each([
    'DB_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'dbPassword', 'PASSWD', 'SSH_PASSPHRASE', 'GITHUB_TOKEN', 'accessToken', 'AUTH_TOKENS',
    'JWT_SECRET', 'CLIENT_SECRET', 'SECRET_KEY_BASE', 'AWS_SECRET_ACCESS_KEY', 'API_KEY', 'apiKey', 'X_APIKEY', 'STRIPE_APIKEY_LIVE',
    'ENCRYPTION_KEYS', 'SIGNINGKEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'DB_CREDENTIAL', 'PRIVATE_KEY', 'privateKey', 'db-password',
    'Db.Password', 'DB_PASS', 'redisPass',
  ])('%s is a secret name', name => expect(isSecretEnvName(name)).toBe(true));

  test.each([
    'KEYCLOAK_URL', 'MONKEY', 'KEY', 'POSTGRES_USER', 'LOG_DIR', 'TOKENIZER_PATH', 'AWS_ACCESS_KEY_ID', 'CACHE_KEY_PREFIX',
    'SECRETARY_EMAIL', 'DB_PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'JWT_SECRET_PATH', 'OIDC_TOKEN_ENDPOINT', 'PASSWORD_MIN_LENGTH',
    'TOKEN_TTL', 'HOSTNAME', 'PASSPORT_NUMBER', 'BYPASS_CACHE', '',
  ])('%p is not a secret name', name => expect(isSecretEnvName(name)).toBe(false));
});

describe('MeshService env: literal secrets are refused', () => {
  test.each([
    ['a plain string', 'hunter2'],
    ['EnvValue.fromValue', EnvValue.fromValue('hunter2')],
  ])('DB_PASSWORD as %s is refused with a fix pointing to EnvValue.fromSecret', (_case, value) => {
    expectMeshError(() => serviceWithEnv({ LOG_LEVEL: 'info', DB_PASSWORD: value }), 'test/api', 'versions.v1.env.DB_PASSWORD',
      'DB_PASSWORD is given a literal value, and its name says it is a secret', "EnvValue.fromSecret('<secret name>', '<key>')",
      'EnvValue.fromValue(value, { notSecret: true })');
  });

  test('a password inside a URL is refused whatever the name; a $(VAR) reference in its place is accepted', () => {
    expectMeshError(() => serviceWithEnv({ DATABASE_URL: 'postgres://admin:hunter2@db/app' }), 'test/api', 'versions.v1.env.DATABASE_URL',
      'a password in a URL (user:password@)', "EnvValue.fromSecret('<secret name>', '<key>')", 'postgres://user:$(DB_PASSWORD)@host/db');
    const { chart } = serviceWithEnv({
      DB_PASSWORD: EnvValue.fromSecret('db', 'password'),
      DATABASE_URL: 'postgres://admin:$(DB_PASSWORD)@db/app',
      HOME_PAGE: 'https://shop.example.com/a:b@c',
    });
    expect(findDoc(docsOf(chart), 'Deployment', 'api-v1').spec.template.spec.containers[0].env[1]).toEqual(
      { name: 'DATABASE_URL', value: 'postgres://admin:$(DB_PASSWORD)@db/app' });
  });

  test.each([[8080, "quote it ('8080')"], [true, "quote it ('true')"], [null, 'EnvValue.fromSecret']])(
    'a value that is neither a string nor an EnvValue (%p, from JavaScript) is refused naming the variable', (value, fix) => {
      expectMeshError(() => serviceWithEnv({ PORT: value as unknown as string }), 'test/api', 'versions.v1.env.PORT',
        `must be a string or an EnvValue, not ${value === null ? 'null' : `a ${typeof value}`}`, fix);
    });

  test('the refused value is not quoted in the message', () => {
    const error = expectMeshError(() => serviceWithEnv({ API_KEY: 'sk_live_51H8' }), 'test/api', 'versions.v1.env.API_KEY');
    expect(error.message).not.toContain('sk_live');
  });

  test('secrets by reference, user names and harmless literals are accepted and written unchanged', () => {
    const { chart } = serviceWithEnv({
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: EnvValue.fromSecret('db', 'password'),
      API_TOKEN: EnvValue.fromConfigMap('tokens', 'api'),
      EMPTY_SECRET: '',
      DB_PASSWORD: '$(POSTGRES_PASSWORD)',
      TOKEN_URL: 'https://auth.example.com/token',
    });
    const doc = findDoc(docsOf(chart), 'Deployment', 'api-v1');
    expect(doc.spec.template.spec.containers[0].env).toEqual([
      { name: 'POSTGRES_USER', value: 'postgres' },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'API_TOKEN', valueFrom: { configMapKeyRef: { name: 'tokens', key: 'api' } } },
      { name: 'EMPTY_SECRET', value: '' },
      { name: 'DB_PASSWORD', value: '$(POSTGRES_PASSWORD)' },
      { name: 'TOKEN_URL', value: 'https://auth.example.com/token' },
    ]);
    expect(doc.metadata.annotations).toBeUndefined();
  });

  test('notSecret: true lets a literal through and records it in the Deployment annotation the document rule reads', () => {
    const { chart } = serviceWithEnv({
      SORT_KEY: EnvValue.fromValue('created_at', { notSecret: true }),
      TOKEN_AUDIENCE: EnvValue.fromValue('shop-api', { notSecret: true }),
      LOG_LEVEL: EnvValue.fromValue('info', { notSecret: true }),
    });
    const doc = findDoc(docsOf(chart), 'Deployment', 'api-v1');
    expect(doc.spec.template.spec.containers[0].env).toEqual([
      { name: 'SORT_KEY', value: 'created_at' }, { name: 'TOKEN_AUDIENCE', value: 'shop-api' }, { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(doc.metadata.annotations).toEqual({ 'cdk8s-istio/not-secret-env': 'SORT_KEY,TOKEN_AUDIENCE' });
    expectAccepted(doc);
    // not a domain under istio.io, which istioctl would report as an unknown Istio annotation
    expect(analyze(docsOf(chart)).filter(m => m.code === 'IST0108')).toEqual([]);
  });
});

describe('the document rule: literal secrets in any pod template', () => {
  test('a raw Deployment with a literal DB_PASSWORD is refused at its env value', () => {
    const doc = deployment(podWith({ env: [{ name: 'DB_HOST', value: 'db' }, { name: 'DB_PASSWORD', value: 'hunter2' }] }));
    expectProblemAt(doc, 'spec.template.spec.containers[0].env[1].value', 'DB_PASSWORD has a literal value', 'valueFrom.secretKeyRef');
  });

  test('init containers, CronJobs and Pods are covered too', () => {
    const migrate = { name: 'migrate', image: 'registry.example.com/migrate:1', env: [{ name: 'GITHUB_TOKEN', value: 'ghp_x' }] };
    const init = deployment(podWith({}, { initContainers: [migrate] }));
    expectProblemAt(init, 'spec.template.spec.initContainers[0].env[0].value', 'GITHUB_TOKEN', NOT_SECRET_ENV_ANNOTATION);
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'sync', namespace: 'shop' },
      spec: {
        schedule: '@daily',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', ...podWith({ env: [{ name: 'API_KEY', value: 'x' }] }) } } } },
      },
    };
    expectProblemAt(cronJob, 'spec.jobTemplate.spec.template.spec.containers[0].env[0].value', 'API_KEY', 'EnvValue.fromSecret');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop' },
      spec: podWith({ env: [{ name: 'JWT_SECRET', value: 'x' }] }),
    };
    expectProblemAt(pod, 'spec.containers[0].env[0].value', 'JWT_SECRET', 'EnvValue.fromSecret');
  });

  test('the annotation opts named variables out; secretKeyRef and other names pass', () => {
    const annotated = deployment(podWith({ env: [{ name: 'SORT_KEY', value: 'created_at' }, { name: 'DB_PASSWORD', value: 'x' }] }));
    (annotated.metadata as any).annotations = { [NOT_SECRET_ENV_ANNOTATION]: 'SORT_KEY' };
    expectProblemAt(annotated, 'spec.template.spec.containers[0].env[1].value', 'DB_PASSWORD', 'valueFrom.secretKeyRef');
    (annotated.metadata as any).annotations = { [NOT_SECRET_ENV_ANNOTATION]: 'SORT_KEY, DB_PASSWORD' };
    expectAccepted(annotated);
    expectAccepted(deployment(podWith({
      env: [
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'POSTGRES_USER', value: 'postgres' },
      ],
    })));
  });

  test('a URL with a password in any env value, and secrets passed as arguments, are refused', () => {
    const url = deployment(podWith({ env: [{ name: 'DATABASE_URL', value: 'mysql://root:hunter2@db:3306/shop' }] }));
    expectProblemAt(url, 'spec.template.spec.containers[0].env[0].value', 'a password in a URL', 'valueFrom.secretKeyRef');
    const inline = deployment(podWith({ args: ['--log-level=debug', '--password=hunter2'] }));
    expectProblemAt(inline, 'spec.template.spec.containers[0].args[1]', '--password passes a literal secret on the command line', '$(VAR)');
    const separate = deployment(podWith({ command: ['server', '--api-token', 'abc123'] }));
    expectProblemAt(separate, 'spec.template.spec.containers[0].command[1]', '--api-token passes a literal secret', 'valueFrom.secretKeyRef');
    const inUrl = deployment(podWith({ args: ['--db', 'postgres://u:p4ss@db/app'] }));
    expectProblemAt(inUrl, 'spec.template.spec.containers[0].args[1]', 'holds a password in a URL', '$(VAR)');
    expectAccepted(deployment(podWith({ args: ['--password=$(DB_PASSWORD)', '--token-file', '/var/run/token', '--log-level', 'info'] })));
  });

  test('an IstioOperator\'s env maps and lists: a literal secret is refused at its field', () => {
    const operator = (spec: Record<string, unknown>) => ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'istio', namespace: 'istio-system' }, spec });
    expectProblemAt(operator({ values: { pilot: { env: { PILOT_TRACE_SAMPLING: '1', GITHUB_TOKEN: 'ghp_x' } } } }),
      'spec.values.pilot.env.GITHUB_TOKEN', 'GITHUB_TOKEN has a literal value', 'values.pilot.envVarFrom');
    expectProblemAt(operator({ meshConfig: { defaultConfig: { proxyMetadata: { DNS_PASSWORD: 'x' } } } }),
      'spec.meshConfig.defaultConfig.proxyMetadata.DNS_PASSWORD', 'DNS_PASSWORD', 'valueFrom.secretKeyRef');
    expectProblemAt(operator({ components: { pilot: { k8s: { env: [{ name: 'API_KEY', value: 'k' }] } } } }),
      'spec.components.pilot.k8s.env[0].value', 'API_KEY', 'k8s.env');
    expectAccepted(operator({ values: { pilot: { env: { PILOT_TRACE_SAMPLING: '1' } } } }));
  });

  test('a raw Deployment with a literal secret fails writeManifests with the construct path, nothing written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-value-'));
    try {
      const app = new App();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ApiObject(chart, 'worker', deployment(podWith({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] })) as any);
      expect(() => writeManifests(app, { outdir })).toThrow(
        /containers\[0\]\.env\[0\]\.value: DB_PASSWORD has a literal value[\s\S]*Fix: reference a Secret[\s\S]*shop\/worker/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
