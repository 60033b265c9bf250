"use client";

import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";

/** Any failure below the layout (usually the database) lands here: a message and a retry, never a stack trace. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  useEffect(() => console.error(error), [error]);
  return (
    <div className="card error-card" role="alert">
      <h1>The pipeline could not be loaded</h1>
      <p>The data store did not answer. Nothing was changed. Try again in a moment.</p>
      {error.digest && <p className="muted small">Reference: {error.digest}</p>}
      <button
        type="button"
        className="button"
        disabled={pending}
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        {pending ? "Retrying…" : "Try again"}
      </button>
    </div>
  );
}
