import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { APPS, AppEntry, AppSettings, servedApps, synthAll } from '../../apps/synth-all';

/** APPS, with each app's builds recorded (the settings of each) in `builds`. */
function countedApps(builds: Map<string, unknown[]>): AppEntry[] {
  return APPS.map(entry => ({
    ...entry,
    build: (settings, served) => {
      builds.set(entry.name, [...builds.get(entry.name) ?? [], settings]);
      return entry.build(settings, served);
    },
  }));
}

describe('each app is built once', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'served-apps-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthAll without settings builds every app once: the installs and the dashboards read the builds it writes', () => {
    const builds = new Map<string, unknown[]>();
    synthAll(outdir, {}, countedApps(builds));
    expect([...builds.keys()].sort()).toEqual(APPS.map(a => a.name).sort());
    for (const name of builds.keys()) expect(builds.get(name)).toEqual([{}]);
  });

  test('an app with settings is written from a build of its own; the installs serve its default build', () => {
    const builds = new Map<string, unknown[]>();
    const settings: AppSettings = { hello: { replicas: 3 } };
    synthAll(outdir, settings, countedApps(builds));
    expect(builds.get('hello')).toEqual([{ replicas: 3 }, {}]);
    expect(builds.get('bookinfo')).toEqual([{}]);
  });

  test('servedApps hands out one build per app, however often it is read', () => {
    const bookinfo = servedApps(APPS).find(a => a.name === 'bookinfo')!;
    expect(bookinfo.build({}).app).toBe(bookinfo.build({}).app);
  });
});
