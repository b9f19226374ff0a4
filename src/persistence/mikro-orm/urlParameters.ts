import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/**
 * A database URL's query parameters, refusing any the kit does not `read`: MikroORM drops the
 * query, so an unread one would be lost silently (TLS spelled another way, a search_path). The URL
 * is secret as a whole: a parameter is named only when other tools know it (`namedElsewhere`),
 * and neither the URL nor a value is ever shown. `where` names the option in the error.
 */
export function readUrlParameters(url: string, where: string, read: readonly string[], namedElsewhere: ReadonlySet<string>): URLSearchParams {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    throw new AdapterError(ErrorCode.CONFIGURATION, `${where}: the URL could not be parsed; the URL is not shown`);
  }
  const unread = [...new Set(params.keys())].filter((name) => !read.includes(name));
  if (unread.length > 0) {
    const named = unread.map((name) => (namedElsewhere.has(name) ? `"${name}"` : "(a parameter not shown)"));
    throw new AdapterError(
      ErrorCode.CONFIGURATION,
      `${where}: URL parameter ${named.join(", ")} not read by the kit (it reads ${read.join(", ")}); pass MikroORM options with driverOptions for other driver settings; the URL is not shown`,
    );
  }
  return params;
}
