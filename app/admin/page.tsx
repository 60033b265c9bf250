import type { Metadata } from "next";
import Link from "next/link";
import { describeScope } from "@/lib/auth/scope";
import { loadAdminOverview } from "@/lib/server/accounts";
import { requireAdmin } from "@/lib/server/request-context";

export const metadata: Metadata = { title: "Admin · Pipeline Risk" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  const { users, exports, imports } = await loadAdminOverview();
  return (
    <>
      <h1>Admin</h1>
      <p>
        <Link href="/admin/forecast">Forecast settings</Link>: stage probabilities, at-risk haircut, coverage threshold.
      </p>
      <section className="card table-card" aria-label="Users">
        <div className="table-toolbar">
          <h2>Users and what they see</h2>
          <p className="muted">
            Change users with <code>npm run user</code>.
          </p>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Linked id</th>
                <th scope="col">Sees</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td>{user.email}</td>
                  <td>{user.name}</td>
                  <td>{user.role}</td>
                  <td>{user.ownerId ?? "—"}</td>
                  <td className="wrap">{describeScope(user.scope)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card table-card" aria-label="Export log" style={{ marginTop: "1rem" }}>
        <div className="table-toolbar">
          <h2>Export log</h2>
          <p className="muted">The latest {exports.length} exports.</p>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Format</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">Filters</th>
              </tr>
            </thead>
            <tbody>
              {exports.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No exports yet.
                  </td>
                </tr>
              )}
              {exports.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{entry.user.email}</td>
                  <td>{entry.format.toUpperCase()}</td>
                  <td className="num">{entry.rowCount.toLocaleString("en-US")}</td>
                  <td className="wrap">
                    <code>{entry.filters || "(none)"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card table-card" aria-label="Import runs" style={{ marginTop: "1rem" }}>
        <div className="table-toolbar">
          <h2>Import runs</h2>
          <p className="muted">The latest {imports.length} imports; each change they made is in the history.</p>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Effective</th>
                <th scope="col">Source</th>
                <th scope="col">Files</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Rows</th>
              </tr>
            </thead>
            <tbody>
              {imports.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No imports yet.
                  </td>
                </tr>
              )}
              {imports.map((run) => (
                <tr key={run.id}>
                  <td>{run.startedAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{run.effectiveDate ?? "when run"}</td>
                  <td>{run.source}</td>
                  <td className="wrap">
                    <code>{run.files}</code>
                  </td>
                  <td>{run.snapshot ? "yes" : "no"}</td>
                  <td className="wrap">
                    {Object.entries(run.counts).map(([entity, counts]) => (
                      <div key={entity}>
                        {entity}: {counts.inserted.toLocaleString("en-US")} inserted,{" "}
                        {counts.updated.toLocaleString("en-US")} updated, {counts.unchanged.toLocaleString("en-US")}{" "}
                        unchanged, {counts.removed.toLocaleString("en-US")} removed
                      </div>
                    ))}
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
