// Errors that end one input (never the run): they name the file, where in it, and why.

export class InputError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly where?: { line?: number; offset?: number },
  ) {
    super(`${path}: ${InputError.locate(reason, where)}`);
    this.name = 'InputError';
  }

  /** The reason with its position but without the path, for summaries that already name the input. */
  get located(): string {
    return InputError.locate(this.reason, this.where);
  }

  private static locate(reason: string, where?: { line?: number; offset?: number }): string {
    if (where?.line !== undefined) return `line ${where.line}: ${reason}`;
    if (where?.offset !== undefined) return `at byte ${where.offset}: ${reason}`;
    return reason;
  }
}

/** Bad usage or configuration: exit code 2 before any input is read. */
export class UsageError extends Error {
  override name = 'UsageError';
}
