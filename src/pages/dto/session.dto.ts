import { TextField } from '../../common/validation/decorators';

export class StartSessionDto {
  @TextField(8192)
  token: string;
}

export class UserSummaryDto {
  id: string;
  username: string;
  first_name: string;
}
