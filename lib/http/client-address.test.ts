import { describe, expect, it } from "vitest";
import {
  InvalidTrustedProxy,
  parseTrustedProxies,
  resolveClientAddress,
  withResolvedClientAddress,
} from "./client-address";
import { RECEIVED_FORWARDED_FOR, setReceivedForwardedForAside } from "./forwarded-for";

const noProxies = parseTrustedProxies(undefined);
const loadBalancers = parseTrustedProxies("10.0.0.2, 10.1.0.0/16 ,fd00::/8");

/** A request as the auth route receives it: proxy.ts set the client's chain aside, Next put the socket's address in X-Forwarded-For. */
function arriving(socket: string, forwardedFor?: string, body?: string): Request {
  const headers = new Headers(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor });
  setReceivedForwardedForAside(headers);
  headers.set("x-forwarded-for", socket);
  return new Request("http://pipeline.test/api/auth/sign-in/email", { method: body ? "POST" : "GET", headers, body });
}

describe("the client address", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    for (let i = 1; i <= 12; i++)
      expect(resolveClientAddress("203.0.113.9", `10.0.0.${i}`, noProxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", "10.0.0.1, 10.0.0.2", noProxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:127.0.0.1", "10.0.0.1", noProxies)).toBe("127.0.0.1");
  });

  it("is the socket's address when the socket is not a trusted proxy, even with proxies configured", () => {
    expect(resolveClientAddress("203.0.113.9", "10.0.0.7", loadBalancers)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.3", "198.51.100.4", loadBalancers)).toBe("10.0.0.3");
  });

  it("behind a trusted proxy, is the rightmost address no trusted proxy added", () => {
    expect(resolveClientAddress("10.0.0.2", "198.51.100.4", loadBalancers)).toBe("198.51.100.4");
    // Two proxy hops (one in a trusted range), and a forged entry the client wrote on the left.
    expect(resolveClientAddress("10.0.0.2", "1.1.1.1, 198.51.100.4, 10.1.7.7", loadBalancers)).toBe("198.51.100.4");
    expect(resolveClientAddress("fd00::5", "[2001:db8::1]:443", loadBalancers)).toBe("2001:db8::1");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.4:51234", loadBalancers)).toBe("198.51.100.4");
  });

  it("behind a trusted proxy, stops at the proxy when a hop is not an address, and is the proxy when there is no chain", () => {
    expect(resolveClientAddress("10.0.0.2", "198.51.100.4, not-an-ip", loadBalancers)).toBe("10.0.0.2");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.4, not-an-ip, 10.1.0.9", loadBalancers)).toBe("10.1.0.9");
    expect(resolveClientAddress("10.0.0.2", null, loadBalancers)).toBe("10.0.0.2");
  });

  it("is unknown without a socket address", () => {
    expect(resolveClientAddress(null, "198.51.100.4", loadBalancers)).toBeNull();
    expect(resolveClientAddress("10.0.0.1, 10.0.0.2", null, noProxies)).toBeNull();
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or range, naming it", () => {
    for (const entry of ["proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/8/8", "300.1.1.1"]) {
      expect(() => parseTrustedProxies(`10.0.0.2,${entry}`), entry).toThrow(InvalidTrustedProxy);
      expect(() => parseTrustedProxies(entry), entry).toThrow(entry);
    }
    expect(() => parseTrustedProxies(" , ")).not.toThrow();
  });
});

describe("the request Better Auth gets", () => {
  it("carries the socket's address, not the X-Forwarded-For a client sent, and nothing of the client's chain", async () => {
    const request = withResolvedClientAddress(arriving("203.0.113.9", "10.0.0.7", '{"email":"a@b.test"}'), noProxies);
    expect(request.headers.get("x-forwarded-for")).toBe("203.0.113.9");
    expect(request.headers.get(RECEIVED_FORWARDED_FOR)).toBeNull();
    expect(request.method).toBe("POST");
    expect(await request.text()).toBe('{"email":"a@b.test"}');
  });

  it("behind a trusted proxy, carries the client address from its X-Forwarded-For", () => {
    expect(
      withResolvedClientAddress(arriving("10.0.0.2", "10.9.9.9, 198.51.100.4"), loadBalancers).headers.get(
        "x-forwarded-for",
      ),
    ).toBe("198.51.100.4");
  });

  it("ignores a chain a client put in the set-aside header itself", () => {
    const headers = new Headers({ [RECEIVED_FORWARDED_FOR]: "198.51.100.4" });
    setReceivedForwardedForAside(headers);
    expect(headers.get(RECEIVED_FORWARDED_FOR)).toBeNull();
    headers.set("x-forwarded-for", "10.0.0.2");
    const request = new Request("http://pipeline.test/api/auth/get-session", { headers });
    expect(withResolvedClientAddress(request, loadBalancers).headers.get("x-forwarded-for")).toBe("10.0.0.2");
  });

  it("carries no address when the socket's is unknown (one shared limit rather than one the client picks)", () => {
    const request = new Request("http://pipeline.test/api/auth/get-session", {
      headers: { [RECEIVED_FORWARDED_FOR]: "198.51.100.4" },
    });
    expect(withResolvedClientAddress(request, loadBalancers).headers.get("x-forwarded-for")).toBeNull();
  });
});
