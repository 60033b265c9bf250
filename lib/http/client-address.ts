import { BlockList, isIP } from "node:net";
import { RECEIVED_FORWARDED_FOR } from "./forwarded-for";

export class InvalidTrustedProxy extends Error {
  constructor(readonly entry: string) {
    super(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (like 10.0.0.2, 10.0.0.0/24 or fd00::/8)`);
    this.name = "InvalidTrustedProxy";
  }
}

/** An address as written in a socket or a forwarded chain (`::ffff:10.0.0.1`, `10.0.0.1:5123`, `[::1]:443`), or null. */
function addressOf(text: string): string | null {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value)?.[1];
  const withoutPort = bracketed ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value)?.[1] ?? value;
  const mappedIpv4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(withoutPort)?.[1];
  const address = (mappedIpv4 ?? withoutPort).toLowerCase();
  return isIP(address) === 0 ? null : address;
}

/** The `TRUSTED_PROXIES` list: comma-separated addresses or CIDR ranges of the reverse proxies in front of the app. */
export function parseTrustedProxies(list: string | undefined): BlockList {
  const proxies = new BlockList();
  for (const entry of (list ?? "")
    .split(",")
    .map((text) => text.trim())
    .filter(Boolean)) {
    const [host, prefix, ...rest] = entry.split("/");
    const address = addressOf(host);
    if (!address || rest.length > 0 || (prefix !== undefined && !/^\d+$/.test(prefix)))
      throw new InvalidTrustedProxy(entry);
    const family = isIP(address) === 4 ? "ipv4" : "ipv6";
    try {
      if (prefix === undefined) proxies.addAddress(address, family);
      else proxies.addSubnet(address, Number(prefix), family);
    } catch {
      throw new InvalidTrustedProxy(entry);
    }
  }
  return proxies;
}

const isTrusted = (address: string, proxies: BlockList) =>
  proxies.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");

/**
 * The client a request came from. `peer` is the socket's address; only when it is
 * one of `trustedProxies` is `forwardedFor` (the chain the proxies appended to) read,
 * from the right, skipping trusted hops: the first untrusted address is the client,
 * and everything left of it, which the client wrote itself, is ignored. A hop that
 * is not an address stops the walk at the proxy that passed it on. Null when the
 * peer is unknown.
 */
export function resolveClientAddress(
  peer: string | null,
  forwardedFor: string | null,
  trustedProxies: BlockList,
): string | null {
  let client = peer === null ? null : addressOf(peer);
  if (client === null || !isTrusted(client, trustedProxies)) return client;
  for (const hop of (forwardedFor ?? "").split(",").reverse()) {
    const address = addressOf(hop);
    if (address === null) return client;
    client = address;
    if (!isTrusted(address, trustedProxies)) return client;
  }
  return client;
}

let fromEnvironment: { list: string | undefined; proxies: BlockList } | undefined;

export function trustedProxiesFromEnv(): BlockList {
  const list = process.env.TRUSTED_PROXIES;
  if (fromEnvironment && fromEnvironment.list === list) return fromEnvironment.proxies;
  const proxies = parseTrustedProxies(list);
  fromEnvironment = { list, proxies };
  return proxies;
}

/**
 * The request as Better Auth gets it (lib/auth/create-auth.ts): X-Forwarded-For
 * holds the one resolved client address and nothing a client wrote. It relies on
 * proxy.ts having set the received chain aside, so that X-Forwarded-For here is
 * the socket's address as Next sets it.
 */
export function withResolvedClientAddress(
  request: Request,
  trustedProxies: BlockList = trustedProxiesFromEnv(),
): Request {
  const headers = new Headers(request.headers);
  const client = resolveClientAddress(
    headers.get("x-forwarded-for"),
    headers.get(RECEIVED_FORWARDED_FOR),
    trustedProxies,
  );
  headers.delete(RECEIVED_FORWARDED_FOR);
  if (client === null) headers.delete("x-forwarded-for");
  else headers.set("x-forwarded-for", client);
  return new Request(request, { headers });
}
