import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="card error-card">
      <h1>Not allowed</h1>
      <p>
        This page is for administrators. Your account can see the pipeline, your API tokens and everything your role
        covers, but not this.
      </p>
      <Link href="/">Back to the pipeline</Link>
    </div>
  );
}
