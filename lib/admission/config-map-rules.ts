import { AdmissionRule, childPath, entriesIn } from './rule';
import { isConfigKey } from '../core/config-key';

/** The most bytes a ConfigMap's data and binaryData may hold together (the API server's limit, as for a Secret). */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/**
 * What the API server refuses in a ConfigMap beyond its schema: keys that are not file names it can
 * mount (letters, digits, '-', '_' and '.', at most 253), a key in both data and binaryData, and more
 * than 1 MiB of data in all.
 */
export const configMapRules: AdmissionRule = {
  kinds: ['/ConfigMap'],
  check(doc, report) {
    let bytes = 0;
    const textKeys = new Set<string>();
    for (const field of ['data', 'binaryData']) {
      for (const [key, value] of entriesIn(doc[field])) {
        const path = childPath(field, key);
        if (!isConfigKey(key)) {
          report(path, `${JSON.stringify(key)} is not a ConfigMap key`,
            'use at most 253 letters, digits, "-", "_" and "." (not "." or starting with "..")');
        }
        if (field === 'data') {
          textKeys.add(key);
        } else if (textKeys.has(key)) {
          report(childPath('data', key), `the key "${key}" is in binaryData too`, 'keep each key in one of data and binaryData');
        }
        if (typeof value === 'string') bytes += Buffer.byteLength(value, field === 'data' ? 'utf8' : 'base64');
      }
    }
    if (bytes > MAX_CONFIG_MAP_BYTES) {
      report('data', `the ConfigMap holds ${bytes} bytes, more than the API server's ${MAX_CONFIG_MAP_BYTES}`,
        'split it into several ConfigMaps, or mount the large files from a volume');
    }
  },
};
