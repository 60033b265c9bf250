import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card error-card">
      <h1>Not found</h1>
      <p>There is no such page, opportunity or customer. It may have been removed, or the link is mistyped.</p>
      <Link href="/">Back to the pipeline</Link>
    </div>
  );
}
