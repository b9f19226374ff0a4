/**
 * Everything the CLI prints goes through here: human lines or one JSON document on stdout,
 * progress and errors on stderr, and every secret it was told about (URLs, passwords) masked
 * wherever it would otherwise appear.
 */
export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export class Output {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly streams: Streams,
    readonly json: boolean,
  ) {}

  /** Registers a connection URL or a password: it (and its password part) never appears in output. */
  secret(value: string | undefined): void {
    if (!value) return;
    this.secrets.add(value);
    try {
      const url = new URL(value);
      if (url.password) {
        this.secrets.add(url.password);
        this.secrets.add(decodeURIComponent(url.password));
      }
    } catch {
      // Not a URL: the value itself is the secret.
    }
  }

  /** A line of human output (ignored with --json). */
  line(text = ""): void {
    if (!this.json) this.streams.stdout.write(`${this.mask(text)}\n`);
  }

  /** The JSON document of a --json run. */
  document(value: unknown): void {
    if (this.json) this.streams.stdout.write(`${this.mask(JSON.stringify(value, null, 2))}\n`);
  }

  /** Progress for humans, on stderr so it never mixes with the result. */
  progress(text: string): void {
    if (!this.json) this.streams.stderr.write(`${this.mask(text)}\n`);
  }

  /** A reason the command could not run: one line on stderr (and a JSON document with --json). */
  error(command: string | undefined, message: string, usage: boolean): void {
    const prefix = command ? `nextauth-adapter-kit ${command}` : "nextauth-adapter-kit";
    const hint = usage ? ` (see: nextauth-adapter-kit ${command ? `${command} ` : ""}--help)` : "";
    this.streams.stderr.write(`${this.mask(`${prefix}: ${message}${hint}`)}\n`);
    if (this.json) this.streams.stdout.write(`${this.mask(JSON.stringify({ ok: false, error: message }))}\n`);
  }

  /** Replaces every registered secret, longest first (a password inside a URL is masked with the URL). */
  mask(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (secret.length >= 3) out = out.split(secret).join("***");
    }
    return out;
  }
}
