/** What a command may touch of the outside world; injected so commands are testable in-process. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bar) or a pipe/file (no bar). */
  isTty: boolean;
  cwd: string;
}
