import { Chart } from 'cdk8s';
import { APPS, servedApps } from '../../apps/synth-all';

// Whole-app output, one snapshot per app: a review aid for any change in what an app deploys.
// Behaviour is asserted explicitly in the construct, parity and dist suites.
test.each(APPS.map(a => [a.name, a] as const))('%s synthesizes the snapshotted manifests', (_name, entry) => {
  const { app, fileOf } = entry.build({}, servedApps(APPS));
  const files: Record<string, unknown[]> = {};
  for (const chart of app.charts as Chart[]) (files[fileOf(chart)] ??= []).push(...chart.toJson());
  expect(files).toMatchSnapshot();
});
