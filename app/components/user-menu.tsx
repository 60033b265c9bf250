import Link from "next/link";
import { getViewer } from "@/lib/server/request-context";
import { SignOutButton } from "./sign-out-button";

export async function UserMenu() {
  const viewer = await getViewer().catch(() => null);
  if (!viewer) return null;
  return (
    <nav className="user-menu" aria-label="Account">
      <Link href="/">Pipeline</Link>
      <Link href="/changes">What changed</Link>
      <Link href="/forecast">Forecast</Link>
      {viewer.role === "admin" && <Link href="/admin">Admin</Link>}
      <Link href="/settings/tokens">API tokens</Link>
      <span className="muted" data-testid="signed-in-as">
        {viewer.email} · {viewer.role}
      </span>
      <SignOutButton />
    </nav>
  );
}
