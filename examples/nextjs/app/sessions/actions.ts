"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth";
import { readyKit } from "@/lib/kit";

/** "Sign out other devices": every session of this user but the one making the request. */
export async function signOutOtherDevices(): Promise<void> {
  const session = await currentSession();
  if (!session) redirect("/api/auth/signin?callbackUrl=%2Fsessions");
  const kit = await readyKit();
  const count = await kit.sessions.revoke(session.user.id, { except: session.sessionToken });
  redirect(`/sessions?signedOut=${count}`);
}

/** "Sign out everywhere": this device included. */
export async function signOutEverywhere(): Promise<void> {
  const session = await currentSession();
  if (!session) redirect("/api/auth/signin");
  const kit = await readyKit();
  await kit.sessions.revoke(session.user.id);
  const jar = await cookies();
  jar.delete("next-auth.session-token");
  jar.delete("__Secure-next-auth.session-token");
  redirect("/api/auth/signin");
}
