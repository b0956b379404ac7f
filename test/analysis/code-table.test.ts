import * as fs from 'fs';
import * as path from 'path';
import { ANALYZERS, MESSAGE_TYPES } from '../../lib';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('the README\'s code table', () => {
  const rows = [...README.matchAll(/^\| ((?:IST|KIA|CDK)\d{4}) \| (\w+) \| (Error|Warning|Info) \| (.+) \|$/gm)]
    .map(([, code, name, level]) => ({ code, name, level }));

  test('lists every code the analysis reports, with its name and level, once and in code order', () => {
    expect(rows).toEqual(Object.values(MESSAGE_TYPES).map(({ code, name, level }) => ({ code, name, level })));
  });

  test('every listed code has an analyzer that reports it (CDK0001 and IST0106 come from the schema check)', () => {
    const reported = new Set<string>(ANALYZERS.flatMap(a => a.codes));
    expect(rows.map(r => r.code).filter(c => !reported.has(c))).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });
});
