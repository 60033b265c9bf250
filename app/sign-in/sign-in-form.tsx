"use client";

import { useState } from "react";

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: HTMLFormElement) {
    setBusy(true);
    setError(null);
    const data = new FormData(form);
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: data.get("email"), password: data.get("password") }),
      });
      if (response.ok) {
        window.location.assign(next);
        return;
      }
      // One message for a wrong email and a wrong password: nothing to learn about which accounts exist.
      setError(
        response.status === 429
          ? `Too many sign-in attempts. Wait ${response.headers.get("X-Retry-After") ?? "a minute"} seconds and try again.`
          : response.status === 401 || response.status === 400
            ? "Email or password is incorrect."
            : "Signing in failed. Try again in a moment.",
      );
    } catch {
      setError("The server could not be reached. Try again in a moment.");
    }
    setBusy(false);
  }

  return (
    <form
      className="sign-in-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(event.currentTarget);
      }}
    >
      <label className="field">
        <span className="field-label">Email</span>
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
