/** The authenticated caller, as every service method receives it first. */
export interface AuthUser {
  id: string;
  username: string;
  firstName: string;
  email: string;
  isAdmin: boolean;
}
