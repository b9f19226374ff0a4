import type { ReactNode } from "react";
import { devToolsEnabled } from "@/lib/config";

export const metadata = { title: "nextauth-adapter-kit · Next.js example" };

const css = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
  header { background: #1b1f24; color: #fff; padding: 12px 24px; display: flex; gap: 20px; align-items: center; }
  header a { color: #cfe3ff; text-decoration: none; }
  header strong { margin-right: auto; }
  main { max-width: 760px; margin: 24px auto; background: #fff; padding: 24px 32px; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ea; }
  .dev { background: #fff3cd; color: #664d03; padding: 8px 24px; border-bottom: 1px solid #ffe69c; }
  .tag { background: #d1e7dd; color: #0f5132; border-radius: 4px; padding: 1px 6px; font-size: 13px; }
  button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #8a94a0; background: #fff; cursor: pointer; }
  button.danger { border-color: #b02a37; color: #b02a37; }
  form { display: inline-block; margin-right: 12px; }
  code { background: #f0f2f4; padding: 1px 4px; border-radius: 3px; }
`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <style>{css}</style>
      </head>
      <body>
        <header>
          <strong>Example app</strong>
          <a href="/">Home</a>
          <a href="/protected">Account</a>
          <a href="/sessions">Your sessions</a>
          {devToolsEnabled() && <a href="/dev/mailbox">Dev mailbox</a>}
          <a href="/api/auth/signout">Sign out</a>
        </header>
        {devToolsEnabled() && (
          <div className="dev" role="note">
            Development sign-in tools are ON (mailbox, test OIDC provider). They sign anyone in: never enable them in a deployment.
          </div>
        )}
        <main>{children}</main>
      </body>
    </html>
  );
}
