import type { ParamIssue } from "@/lib/gtm/pipeline-query";

/** Invalid URL parameters are ignored, never a 500; this says which and why. */
export function ParamNotice({ issues }: { issues: ParamIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <div className="notice" role="status">
      <strong>Some parts of this address were ignored:</strong>
      <ul>
        {issues.map((issue, index) => (
          <li key={index}>
            <code>{issue.param}</code> {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
