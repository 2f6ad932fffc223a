/** The `stampede` command's exit codes (documented in the README). */
export const EXIT = {
  /** Everything ran and nothing failed. */
  clean: 0,
  /** A property failed: the store disagreed with the model (a bug was found). */
  failuresFound: 1,
  /** Bad flags, a bad target module or a malformed input file. */
  usage: 2,
  /** A threshold (latency, error rate...) failed. */
  thresholdsFailed: 3,
  /** Stampede itself crashed. */
  internal: 4,
  /** A fuzz run was stopped (SIGINT/SIGTERM) before its time, with no failure found. */
  interrupted: 130,
} as const;
