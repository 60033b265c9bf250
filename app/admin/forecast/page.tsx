import type { Metadata } from "next";
import { ForecastSettingsForm } from "./settings-form";
import { forecastSettingsValues } from "@/lib/gtm/forecast-settings";
import { loadForecastSettingsAdmin } from "@/lib/server/forecast-settings";
import { requireAdmin } from "@/lib/server/request-context";

export const metadata: Metadata = { title: "Forecast settings · Pipeline Risk" };

export default async function ForecastSettingsPage() {
  await requireAdmin("/admin/forecast");
  const { settings, audit } = await loadForecastSettingsAdmin();
  const current = forecastSettingsValues(settings);
  return (
    <>
      <h1>Forecast settings</h1>
      <p className="muted">
        A deal without a probability of its own is weighted by its stage&apos;s; an at-risk deal&apos;s weighted amount
        is cut by the haircut; coverage under the threshold is highlighted on the forecast. Every change is logged
        below.
      </p>
      <section className="card" aria-label="Settings" style={{ marginBottom: "1rem" }}>
        <ForecastSettingsForm current={current} />
      </section>
      <section className="card table-card" aria-label="Changes">
        <div className="table-toolbar">
          <h2>Changes</h2>
          <p className="muted">The latest {audit.length} changes.</p>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Setting</th>
                <th scope="col" className="num">
                  From
                </th>
                <th scope="col" className="num">
                  To
                </th>
              </tr>
            </thead>
            <tbody>
              {audit.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No changes yet: the defaults apply.
                  </td>
                </tr>
              )}
              {audit.map((entry, index) => (
                <tr key={index}>
                  <td>{entry.changedAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{entry.userEmail}</td>
                  <td>{entry.field}</td>
                  <td className="num">{entry.oldValue}</td>
                  <td className="num">{entry.newValue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
