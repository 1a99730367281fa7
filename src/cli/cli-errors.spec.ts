import { AppError } from '../common/errors/app-error';
import { CommandFailed, exitCodeOf, messageOf, UsageError } from './cli-errors';

const commanderError = (code: string, exitCode: number) =>
  Object.assign(new Error('(printed by commander)'), { code, exitCode });

describe('CLI exit codes', () => {
  it('should exit 0 for help, 2 for any other complaint of the parser, without repeating its message', () => {
    expect(exitCodeOf(commanderError('commander.helpDisplayed', 0))).toBe(0);
    expect(exitCodeOf(commanderError('commander.help', 1))).toBe(2);
    expect(exitCodeOf(commanderError('commander.unknownCommand', 1))).toBe(2);
    expect(exitCodeOf(commanderError('commander.missingArgument', 1))).toBe(2);
    expect(messageOf(commanderError('commander.unknownCommand', 1))).toBeNull();
  });

  it('should exit 2 for usage errors and 1 for failures, with a one-line message', () => {
    expect(exitCodeOf(new UsageError('bad'))).toBe(2);
    expect(exitCodeOf(new CommandFailed('no such room'))).toBe(1);
    expect(exitCodeOf(new AppError('conflict', 'taken', 'username'))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    expect(messageOf(new Error('first line\n    at somewhere'))).toBe('first line');
    expect(
      messageOf(
        AppError.many([
          { code: 'invalid', message: 'a' },
          { code: 'required', message: 'b' },
        ]),
      ),
    ).toBe('a; b');
  });
});
