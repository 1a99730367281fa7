import password from '@inquirer/password';
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

/**
 * Asks on the terminal without echoing. The prompt draws on stderr so that stdout keeps only the
 * command's result; it reads keys rather than bytes, so arrow keys and the like never enter the value.
 */
async function promptHidden(message: string): Promise<string> {
  try {
    return await password({ message, mask: false }, { output: process.stderr, clearPromptOnDone: true });
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new CommandFailed('cancelled');
    }
    throw error;
  }
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
    const first = await promptHidden('Password');
    const second = await promptHidden('Password (again)');
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
