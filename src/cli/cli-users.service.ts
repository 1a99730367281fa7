import { Injectable } from '@nestjs/common';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { CommandFailed } from './cli-errors';

/** Commands name users by username. */
@Injectable()
export class CliUsers {
  constructor(private readonly users: UsersService) {}

  async require(username: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    if (!user) {
      throw new CommandFailed(`no user named "${username}"`);
    }
    return user;
  }

  requireAll(usernames: string[]): Promise<User[]> {
    return Promise.all(usernames.map((username) => this.require(username)));
  }
}
