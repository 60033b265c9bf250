import type { Metadata } from "next";
import { describeScope } from "@/lib/auth/scope";
import { listOwnApiTokens } from "@/lib/server/accounts";
import { requireViewer } from "@/lib/server/request-context";
import { revokeTokenAction } from "./actions";
import { CreateTokenForm } from "./create-token-form";

export const metadata: Metadata = { title: "API tokens · Pipeline Risk" };

const when = (date: Date | null) => (date ? date.toISOString().replace("T", " ").slice(0, 16) : "Never");

export default async function TokensPage() {
  const viewer = await requireViewer("/settings/tokens");
  const tokens = await listOwnApiTokens(viewer);
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Scripts use a token to read <code>/api/opportunities</code>, <code>/api/summary</code> and{" "}
        <code>/api/export</code> with exactly what you may see: {describeScope(viewer.scope)}.
      </p>
      <section className="card" aria-label="New token" style={{ marginBottom: "1rem" }}>
        <CreateTokenForm />
      </section>
      <section className="card table-card" aria-label="Your tokens">
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No tokens yet.
                  </td>
                </tr>
              )}
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>
                    {token.revokedAt ? (
                      <>
                        <span className="badge badge-revoked">Revoked</span>{" "}
                        <span className="muted small">{when(token.revokedAt)}</span>
                      </>
                    ) : (
                      <span className="badge badge-active">Active</span>
                    )}
                  </td>
                  <td>
                    {!token.revokedAt && (
                      <form action={revokeTokenAction}>
                        <input type="hidden" name="id" value={token.id} />
                        <button type="submit" className="link-button" aria-label={`Revoke ${token.name}`}>
                          Revoke
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
