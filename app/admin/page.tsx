import type { Metadata } from "next";
import Link from "next/link";
import { describeScope } from "@/lib/auth/scope";
import { loadAdminOverview } from "@/lib/server/accounts";
import { requireAdmin } from "@/lib/server/request-context";

export const metadata: Metadata = { title: "Admin · Pipeline Risk" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  const { users, exports } = await loadAdminOverview();
  return (
    <>
      <h1>Admin</h1>
      <p><Link href="/admin/forecast">Forecast settings</Link>: stage probabilities, at-risk haircut, coverage threshold.</p>
      <section className="card table-card" aria-label="Users">
        <div className="table-toolbar"><h2>Users and what they see</h2><p className="muted">Change users with <code>npm run user</code>.</p></div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Linked id</th><th scope="col">Sees</th></tr>
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
        <div className="table-toolbar"><h2>Export log</h2><p className="muted">The latest {exports.length} exports.</p></div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Format</th><th scope="col" className="num">Rows</th><th scope="col">Filters</th></tr>
            </thead>
            <tbody>
              {exports.length === 0 && <tr><td colSpan={5} className="muted">No exports yet.</td></tr>}
              {exports.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{entry.user.email}</td>
                  <td>{entry.format.toUpperCase()}</td>
                  <td className="num">{entry.rowCount.toLocaleString("en-US")}</td>
                  <td className="wrap"><code>{entry.filters || "(none)"}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
