/** Predicates for ports and IP addresses. */

/** The largest value of Envoy's and Istio's uint32 fields (token counts, request limits, annotation values). */
export const UINT32_MAX = 2 ** 32 - 1;

/** A TCP/UDP port number: an integer from 1 to 65535. */
export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** An IPv4 address in dotted-decimal form (no leading zeros, as Go's netip parses it). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** An IPv6 address (with `::` compression and an optional trailing IPv4 part; zones such as `%eth0` allowed). */
export function isIpv6(value: string): boolean {
  const zone = value.indexOf('%');
  const address = zone < 0 ? value : value.slice(0, zone);
  if (zone >= 0 && zone === value.length - 1) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...head, ...tail];
  let width = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i];
    if (i === all.length - 1 && group.includes('.')) {
      if (!isIpv4(group)) return false;
      width += 2;
    } else if (HEX_GROUP.test(group)) {
      width += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

/** An IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`): an address and a prefix length that fits it. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits) || address.includes('%')) return false;
  if (isIpv4(address)) return Number(bits) <= 32;
  return isIpv6(address) && Number(bits) <= 128;
}

/** An IP address or a CIDR block, as Istio accepts in ServiceEntry `addresses` (ValidateIPSubnet). */
export function isIpOrCidr(value: string): boolean {
  return value.includes('/') ? isCidr(value) : isIpAddress(value);
}
