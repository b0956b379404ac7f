import * as path from 'path';
import { WriteManifestsOptions, WrittenManifests, writeInstall, writeManifests } from '../lib';
import { AddonsSettings, addonsApp } from './addons';
import { AppBuild } from './app-build';
import { BookinfoProps, bookinfoAmbientApp, bookinfoApp, bookinfoGatewayApiApp } from './bookinfo';
import { FOOD_SERVICES, FoodDeliveryProps, foodDeliveryApp, foodDeliveryGatewayApiApp } from './food-delivery';
import { HelloSettings, helloApp, helloGatewayApiApp } from './hello';
import { HelloDemoSettings, helloDemoApp } from './hello-demo';
import { InstallSettings, ServedApp, installApp } from './install';
import { VotingProps, VotingWorkload, votingApp } from './voting';

/** Settings of every app, by app name: what `CDK8S_ISTIO_CONFIG` may set (see README). */
export interface AppSettings {
  /** Bookinfo. */
  readonly 'bookinfo'?: Pick<BookinfoProps, 'namespace' | 'imageRegistry' | 'imageTag'>;
  /** Bookinfo's secure profile. */
  readonly 'bookinfo-secure'?: Pick<BookinfoProps, 'namespace' | 'imageRegistry' | 'imageTag'>;
  /** The food delivery app. */
  readonly 'food-delivery'?: Pick<FoodDeliveryProps, 'namespace' | 'domain' | 'tlsSecretName' | 'images' | 'replicas'>;
  /** The voting app. */
  readonly 'voting'?: Pick<VotingProps, 'namespace' | 'domain' | 'tlsSecretName' | 'dbSecretName' | 'images' | 'replicas'>;
  /** The hello demo. */
  readonly 'hello'?: Pick<HelloSettings, 'namespace' | 'imageRegistry' | 'imageTag' | 'replicas' | 'nodePort'>;
  /** Bookinfo rendered to the Gateway API. */
  readonly 'bookinfo-gateway-api'?: Pick<BookinfoProps, 'namespace' | 'imageRegistry' | 'imageTag'>;
  /** The hello demo rendered to the Gateway API. */
  readonly 'hello-gateway-api'?: Pick<HelloSettings, 'namespace' | 'imageRegistry' | 'imageTag' | 'replicas'>;
  /** The food delivery app rendered to the Gateway API. */
  readonly 'food-delivery-gateway-api'?: Pick<FoodDeliveryProps, 'namespace' | 'domain' | 'tlsSecretName' | 'images' | 'replicas'>;
  /** Bookinfo in ambient mode, with a waypoint and the secure profile's policies. */
  readonly 'bookinfo-ambient'?: Pick<BookinfoProps, 'namespace' | 'imageRegistry' | 'imageTag'>;
  /** The Istio install files (dist/install/: IstioOperator files and Helm values). */
  readonly 'install'?: InstallSettings;
  /** The observability addons (dist/addons/). */
  readonly 'addons'?: AddonsSettings;
  /** The tutorial's hello demo (harshal0812/istiodemo behind the ingress gateway). */
  readonly 'hello-demo'?: Pick<HelloDemoSettings, 'namespace' | 'image' | 'replicas' | 'nodePort'>;
}

/** One app of the repo: its dist folder, how to build it, and the JSON Schema of its settings. */
export interface AppEntry {
  /** The folder name under the output directory (and the settings key). */
  readonly name: keyof AppSettings;
  /**
   * Builds the app from its settings; `served` holds every app built with its default settings,
   * each once, for the apps that read others (install, addons).
   */
  readonly build: (settings: any, served: readonly ServedApp[]) => AppBuild;
  /** JSON Schema of the app's settings in the config file. */
  readonly settingsSchema: Record<string, unknown>;
  /**
   * Writes the built app into its folder.
   * @default writeManifests with a Kustomization (a folder `kubectl apply -f` and kustomize read)
   */
  readonly write?: (app: AppBuild['app'], options: WriteManifestsOptions) => WrittenManifests;
}

const text = { type: 'string', minLength: 1 };
const replicas = { type: 'integer', minimum: 0 };
const nodePort = { type: 'integer', minimum: 30000, maximum: 32767 };
const imagesOf = (names: readonly string[]) =>
  ({ type: 'object', additionalProperties: false, properties: Object.fromEntries(names.map(n => [n, text])) });
const settings = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, properties });
const bookinfoSettings = settings({ namespace: text, imageRegistry: text, imageTag: text });
const VOTING_WORKLOADS: readonly VotingWorkload[] = ['vote', 'result', 'worker', 'redis', 'db'];

/** Every app the repo synthesizes, in output order. */
export const APPS: readonly AppEntry[] = [
  { name: 'bookinfo', build: s => bookinfoApp(s), settingsSchema: bookinfoSettings },
  { name: 'bookinfo-secure', build: s => bookinfoApp({ ...s, secure: true }), settingsSchema: bookinfoSettings },
  {
    name: 'food-delivery',
    build: s => foodDeliveryApp(s),
    settingsSchema: settings({ namespace: text, domain: text, tlsSecretName: text, images: imagesOf(FOOD_SERVICES), replicas }),
  },
  {
    name: 'voting',
    build: s => votingApp(s),
    settingsSchema: settings({
      namespace: text, domain: text, tlsSecretName: text, dbSecretName: text, images: imagesOf(VOTING_WORKLOADS), replicas,
    }),
  },
  {
    name: 'hello',
    build: s => helloApp(s),
    settingsSchema: settings({
      namespace: text, imageRegistry: text, imageTag: text, replicas, nodePort: { type: 'integer', minimum: 30000, maximum: 32767 },
    }),
  },
  {
    // The tutorial's own demo: /helloWorld/sayHello through the NodePort ingress.
    name: 'hello-demo',
    build: s => helloDemoApp(s),
    settingsSchema: settings({ namespace: text, image: text, replicas, nodePort: { type: 'integer', minimum: 30000, maximum: 32767 } }),
  },
  // The Gateway API renderings of the same apps.
  {
    name: 'bookinfo-gateway-api',
    build: s => bookinfoGatewayApiApp(s),
    settingsSchema: bookinfoSettings,
  },
  {
    name: 'hello-gateway-api',
    build: s => helloGatewayApiApp(s),
    settingsSchema: settings({ namespace: text, imageRegistry: text, imageTag: text, replicas }),
  },
  {
    name: 'food-delivery-gateway-api',
    build: s => foodDeliveryGatewayApiApp(s),
    settingsSchema: settings({ namespace: text, domain: text, tlsSecretName: text, images: imagesOf(FOOD_SERVICES), replicas }),
  },
  {
    // Ambient mode: no sidecars, a waypoint for L7 policies, ingress through a Gateway API Gateway.
    name: 'bookinfo-ambient',
    build: s => bookinfoAmbientApp(s),
    settingsSchema: bookinfoSettings,
  },
  {
    // Builds the other apps to check that its installs serve them (Gateways, ambient namespaces, node ports).
    name: 'install',
    build: (s, served) => installApp(s, served.filter(a => a.name !== 'install')),
    settingsSchema: settings({ tag: text, httpNodePort: nodePort, httpsNodePort: nodePort }),
    write: (app, options) => writeInstall(app, { ...options, kustomization: false }),
  },
  {
    // A Grafana dashboard per bundled app, generated from the app's model.
    name: 'addons',
    build: (s, served) => addonsApp(s, served),
    settingsSchema: settings({ domain: text, tlsSecretName: text }),
  },
];

/**
 * Synthesizes every app into `<outdir>/<app>/` (with a `Kustomization` listing its top-level
 * files); returns the files written, relative to `outdir`. An app without settings is built once:
 * the build it is written from is the one the install and addons apps read.
 */
export function synthAll(outdir: string, appSettings: AppSettings = {}, apps: readonly AppEntry[] = APPS): string[] {
  const served = servedApps(apps);
  return apps.flatMap((entry, i) => {
    const given = appSettings[entry.name];
    const { app, fileOf } = given === undefined ? served[i].build({}) : entry.build(given, served);
    const write = entry.write ?? writeManifests;
    return write(app, { outdir: path.join(outdir, entry.name), fileOf, kustomization: true }).files.map(f => `${entry.name}/${f}`);
  });
}

/**
 * The apps as other apps read them: each built with its default settings on first use, then kept,
 * so that the installs (which serve the same app several times) and the addons' dashboards share
 * one build of each.
 */
export function servedApps(apps: readonly AppEntry[]): ServedApp[] {
  const served: ServedApp[] = apps.map(entry => {
    let built: AppBuild | undefined;
    return { name: entry.name, build: () => built ??= entry.build({}, served) };
  });
  return served;
}
