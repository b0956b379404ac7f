import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import { APPS, AppSettings } from './synth-all';

/** The environment variable naming the settings file read by the synth entry. */
export const CONFIG_ENV = 'CDK8S_ISTIO_CONFIG';

/**
 * Reads the app settings from the JSON file named by `$CDK8S_ISTIO_CONFIG` (none: defaults), a
 * relative path being relative to the directory `npm run` was started from.
 * The file is checked against each app's settings schema; a mistake fails with the file, the
 * JSON path and what is allowed there.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const name = env[CONFIG_ENV];
  if (!name) return {};
  // `npm run` starts in the package root; a relative path means the directory it was run from.
  const file = path.resolve(env.INIT_CWD ?? process.cwd(), name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${CONFIG_ENV}=${file}: cannot read the settings file: ${(e as Error).message}`);
  }
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(APPS.map(a => [a.name, a.settingsSchema])),
  };
  const AjvClass: typeof Ajv = require('ajv').default; // loaded only when a settings file is given
  const validate = new AjvClass({ allErrors: true }).compile(schema);
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map(e => {
      const where = e.instancePath || '/';
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `  ${where}: ${e.message}${extra}`;
    });
    const allowed = APPS.map(a => `${a.name} { ${Object.keys((a.settingsSchema as { properties: object }).properties).join(', ')} }`);
    throw new Error(`${CONFIG_ENV}=${file}: invalid settings:\n${problems.join('\n')}\nAllowed: ${allowed.join('; ')}`);
  }
  return parsed as AppSettings;
}
