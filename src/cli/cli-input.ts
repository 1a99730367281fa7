import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../common/validation/validation.pipe';
import { CommandFailed, UsageError } from './cli-errors';

/**
 * Checks command-line input with the same DTO the API validates the same input with, so that a rule
 * lives in one place. `only` restricts the check to some fields (the others are checked later or
 * not given). A failure is a usage error.
 */
export async function validated<T extends object>(type: ClassConstructor<T>, plain: object, only?: string[]) {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { forbidUnknownValues: true, stopAtFirstError: true });
  const entries = flattenValidationErrors(errors).filter((entry) => !only || only.includes(entry.field ?? ''));
  if (entries.length > 0) {
    throw new UsageError(entries.map((entry) => entry.message).join('; '));
  }
  return instance;
}

/** A non-negative whole number option (commander hands options over as text). */
export function wholeNumber(flag: string, max = 100_000_000) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) > max) {
      throw new UsageError(`${flag} must be a whole number from 0 to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

/** `a,b, c` → ['a', 'b', 'c']. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new CommandFailed('cancelled'));
          return;
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The password given as an option, else asked on the terminal (twice), else the first line of stdin
 * (`echo "$PASSWORD" | npm run cli -- user:create alice`): an option is visible to other local users
 * in the process list.
 */
export async function readPassword(given: string | undefined): Promise<string> {
  if (given !== undefined) {
    return given;
  }
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Password (again): ');
    if (first !== second) {
      throw new CommandFailed('the passwords do not match');
    }
    return first;
  }
  const line = (await readAll(process.stdin)).split(/\r?\n/)[0];
  if (!line) {
    throw new UsageError('no password given: pass --password, or write it on stdin');
  }
  return line;
}
