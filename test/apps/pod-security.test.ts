import * as fs from 'fs';
import * as path from 'path';
import { DIST, distApps } from '../../scripts/dist-apps';
import { podSecurityTable } from '../../scripts/pod-security';

const README = path.join(__dirname, '..', '..', 'README.md');

describe('the README\'s Pod Security Standards table', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const table = /<!-- pod-security-table -->\n([\s\S]*?)\n<!-- \/pod-security-table -->/.exec(readme)?.[1];

  test('is what `npm run pod-security` computes from dist/ (regenerate the table with it if not)', () => {
    expect(table).toBe(podSecurityTable(distApps(DIST)));
  });

  test('every app with pods is in it, and no container fails a control the production defaults cover, but for the documented exception', () => {
    const rows = table!.split('\n').slice(2);
    expect(rows.map(r => r.split(' | ')[0].slice(2))).toEqual(fs.readdirSync(DIST).filter(d => d !== 'install').sort());
    const controls = rows.flatMap(r => r.split(' | ')[2].replace(/ \|$/, '').split('; ').map(c => c.split(':')[0]));
    // Running as Non-root depends on the image; Capabilities only for voting's redis and db (their entrypoints change user).
    expect([...new Set(controls)].sort()).toEqual(['Capabilities', 'Running as Non-root']);
    expect(rows.filter(r => r.includes('Capabilities:')).map(r => r.split(' | ')[2])).toEqual([
      'Running as Non-root: all; Capabilities: db-v1/postgres, redis-v1/redis |',
    ]);
  });
});
