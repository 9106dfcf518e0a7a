import ipaddr from 'ipaddr.js';

export type IpRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses normalised entries (`a.b.c.d/n`, `x::/n`); a bare address is a single-host range. */
export function parseRanges(entries: string[]): IpRange[] {
  return entries.map((entry) =>
    entry.includes('/') ? ipaddr.parseCIDR(entry) : ipaddr.parseCIDR(`${entry}/${ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128}`),
  );
}

/** Whether an address (IPv4-mapped IPv6 counts as IPv4) falls in any of the ranges. */
export function addressInRanges(address: string | null | undefined, ranges: IpRange[]): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address ?? '');
  } catch {
    return false;
  }
  return ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match([range, bits] as never));
}

/** Whether an address falls in a list of entries. */
export function addressInList(address: string | null | undefined, entries: string[]): boolean {
  return addressInRanges(address, parseRanges(entries));
}

/** Whether two ranges share an address (CIDR blocks are either nested or apart). */
export function rangesOverlap([a, aBits]: IpRange, [b, bBits]: IpRange): boolean {
  if (a.kind() !== b.kind()) return false;
  return a.match([b, bBits] as never) || b.match([a, aBits] as never);
}
