import * as path from 'path';
import { writeManifests } from '../lib';
import { bookinfoApp } from './bookinfo';

/** One app of the repo: how to build it and which folder under dist/ it goes to. */
export interface AppEntry {
  /** The folder name under the output directory. */
  readonly name: string;
  /** Builds the app and tells which file each chart goes to. */
  readonly build: () => Pick<ReturnType<typeof bookinfoApp>, 'app' | 'fileOf'>;
}

/** Every app the repo synthesizes, in output order. */
export const APPS: readonly AppEntry[] = [
  { name: 'bookinfo', build: () => bookinfoApp() },
  { name: 'bookinfo-secure', build: () => bookinfoApp({ secure: true }) },
];

/** Synthesizes every app into `<outdir>/<app>/`; returns the files written, relative to `outdir`. */
export function synthAll(outdir: string): string[] {
  return APPS.flatMap(entry => {
    const { app, fileOf } = entry.build();
    return writeManifests(app, { outdir: path.join(outdir, entry.name), fileOf }).map(f => `${entry.name}/${f}`);
  });
}
