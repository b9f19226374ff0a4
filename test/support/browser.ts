import { CookieJar } from "./cookieJar";

export interface BrowseOptions {
  method?: "GET" | "POST";
  /** Sent as `application/x-www-form-urlencoded`, like an HTML form post. */
  form?: Record<string, string>;
}

/**
 * One user agent over real HTTP: `fetch` with its own cookie jar. Redirects are not followed, so a
 * test sees each 302, its `Location` and the cookies it sets.
 */
export class Browser {
  readonly cookies = new CookieJar();

  constructor(private readonly origin: string) {}

  async request(pathOrUrl: string, options: BrowseOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const cookie = this.cookies.header();
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(new URL(pathOrUrl, this.origin), { method: options.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.cookies.store(response);
    return response;
  }

  /** GETs a JSON endpoint (`/csrf`, `/session`) and parses the body. */
  async json<T>(pathOrUrl: string): Promise<T> {
    const response = await this.request(pathOrUrl);
    if (!response.ok) throw new Error(`GET ${pathOrUrl} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}
