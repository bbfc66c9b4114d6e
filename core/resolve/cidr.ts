/** IPv4 range arithmetic on top of ip-address, kept to what resolution and validation need. */
import { Address4 } from "ip-address";

interface Range {
  start: bigint;
  end: bigint;
}

function range(cidrOrIp: string): Range {
  const a = new Address4(cidrOrIp.includes("/") ? cidrOrIp : `${cidrOrIp}/32`);
  return { start: a.startAddress().bigInt(), end: a.endAddress().bigInt() };
}

export function overlaps(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  return ra.start <= rb.end && rb.start <= ra.end;
}

export function contains(cidr: string, ipOrCidr: string): boolean {
  const outer = range(cidr);
  const inner = range(ipOrCidr);
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function prefixLength(cidr: string): number {
  return Number(cidr.split("/")[1]);
}

function fromBigInt(n: bigint): string {
  return Address4.fromBigInt(n).address;
}

/** The n-th address of a range (0 is the network address). */
export function nthAddress(cidr: string, n: number): string {
  return fromBigInt(range(cidr).start + BigInt(n));
}

/** Splits a range into 2^extraBits equal subnets, in address order. */
export function subnets(cidr: string, extraBits: number): string[] {
  const prefix = prefixLength(cidr) + extraBits;
  if (prefix > 32) throw new RangeError(`cannot split ${cidr} into ${2 ** extraBits} subnets`);
  const start = range(cidr).start;
  const size = 1n << BigInt(32 - prefix);
  return Array.from({ length: 2 ** extraBits }, (_, i) => `${fromBigInt(start + size * BigInt(i))}/${prefix}`);
}

/** Parses an address pool as MetalLB accepts it: a CIDR or an `a.b.c.d-e.f.g.h` range. */
export function poolBounds(pool: string): { first: string; last: string } | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\s*-\s*(\d{1,3}(?:\.\d{1,3}){3})$/.exec(pool);
  if (m) {
    if (!Address4.isValid(m[1]) || !Address4.isValid(m[2])) return null;
    if (new Address4(m[1]).bigInt() > new Address4(m[2]).bigInt()) return null;
    return { first: m[1], last: m[2] };
  }
  if (/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(pool) && Address4.isValid(pool)) {
    const r = range(pool);
    return { first: fromBigInt(r.start), last: fromBigInt(r.end) };
  }
  return null;
}

export function ipInRange(ip: string, first: string, last: string): boolean {
  const n = new Address4(ip).bigInt();
  return new Address4(first).bigInt() <= n && n <= new Address4(last).bigInt();
}
