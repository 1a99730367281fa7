/** Output of the commands: results on stdout (so they can be piped), notes and progress on stderr. */
export const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export const note = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

/** A plain text table: a header, then one line per row, columns padded to their widest cell. */
export function printTable(columns: string[], rows: (string | number | boolean | null)[][]): void {
  const cells = [columns, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => row[index].length)));
  for (const row of cells) {
    print(
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index])))
        .join('  ')
        .trimEnd(),
    );
  }
}

/**
 * A progress bar on stderr without dependencies: redrawn in place on a terminal and cleared when done,
 * one line per tenth otherwise (logs and pipes).
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly started = Date.now();
  private readonly interactive = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  tick(count: number): void {
    if (this.total === 0) {
      return;
    }
    this.done = Math.min(this.total, this.done + count);
    const now = Date.now();
    if (this.interactive) {
      if (now - this.lastDraw >= 100 || this.done === this.total) {
        this.lastDraw = now;
        process.stderr.write(`\r${this.line()}`);
      }
      return;
    }
    const tenth = Math.floor((this.done / this.total) * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${this.line()}\n`);
    }
  }

  /** On a terminal the bar's line is cleared, so what the command prints next starts on a clean line. */
  finish(): void {
    if (this.interactive && this.total > 0) {
      process.stderr.write('\r\x1b[2K');
    }
  }

  private line(): string {
    const width = 30;
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(ratio * width);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const rate = Math.round(this.done / Math.max((Date.now() - this.started) / 1000, 0.001));
    return (
      `${this.label.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
      `${String(Math.floor(ratio * 100)).padStart(3)}% ${this.done}/${this.total} ${seconds}s ${rate}/s`
    );
  }
}
