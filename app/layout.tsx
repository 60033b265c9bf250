import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { UserMenu } from "./components/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: "Pipeline Risk",
  description: "Sales pipeline and revenue at risk",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="app-header">
          <Link href="/" className="brand">
            Pipeline Risk
          </Link>
          <UserMenu />
        </header>
        <main className="app-main">{children}</main>
      </body>
    </html>
  );
}
