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

  test('every app is in it, and no container fails a control the production defaults cover, but for the documented exceptions', () => {
    const rows = table!.split('\n').slice(2);
    expect(rows.map(r => r.split(' | ')[0].slice(2))).toEqual(fs.readdirSync(DIST).sort());
    const controls = rows.flatMap(r => r.split(' | ')[2].replace(/ \|$/, '').split('; '));
    expect([...new Set(controls)].sort()).toEqual(['Capabilities: db-v1/postgres, redis-v1/redis', 'Running as Non-root: all']);
  });
});
