import { App } from 'cdk8s';
import { HelmRelease, MeshInstall } from './mesh-install';
import { MeshConfigError } from '../core/errors';
import { jsYaml } from '../core/js-yaml-lazy';
import { ExtraFile, WriteManifestsOptions, WrittenManifests, writeManifestsWith } from '../synth/write-manifests';

/** The text of a Helm values file: the command that uses it (run in the file's folder), then the values. */
export function helmValuesText(release: HelmRelease): string {
  const command = `helm install ${release.release} istio/${release.chart} -n ${release.namespace} --create-namespace`
    + ` -f ${release.valuesFile}`;
  return `# In this folder: ${command}\n${jsYaml().dump(release.values, { lineWidth: -1, noRefs: true, sortKeys: true })}`;
}

/**
 * Writes an app holding {@link MeshInstall}s: its charts through `writeManifests` (one
 * IstioOperator file per chart, for `istioctl install -f`), then each install's Helm values files
 * in `helm/<install name>/`, each starting with the `helm install` command that reads it.
 *
 * Every check runs before anything is written (a chart mapped to a values file's path included),
 * and the values files are written with the charts' into the same new folder, swapped in at once.
 */
export function writeInstall(app: App, options: WriteManifestsOptions): WrittenManifests {
  const installs = app.node.findAll().filter((c): c is MeshInstall => c instanceof MeshInstall);
  const values = new Map<string, ExtraFile>();
  for (const install of installs) {
    const folder = `helm/${install.name}`;
    for (const release of install.helmReleases()) {
      const file = `${folder}/${release.valuesFile}`;
      if (values.has(file)) {
        throw new MeshConfigError(install, 'name',
          `another MeshInstall of the app is also named "${install.name}", so both write ${folder}/`, 'give every install its own name');
      }
      values.set(file, { text: helmValuesText(release), owner: install });
    }
  }
  return writeManifestsWith(app, options, values);
}
