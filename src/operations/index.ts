import type { OperationName } from "../kernel/operations";
import { CreateAuthenticator } from "./CreateAuthenticator";
import { CreateSession } from "./CreateSession";
import { CreateUser } from "./CreateUser";
import { CreateVerificationToken } from "./CreateVerificationToken";
import { DeleteSession } from "./DeleteSession";
import { DeleteSessionsByUserId } from "./DeleteSessionsByUserId";
import { DeleteUser } from "./DeleteUser";
import { DeleteVerificationToken } from "./DeleteVerificationToken";
import { GetAccount } from "./GetAccount";
import { GetAuthenticator } from "./GetAuthenticator";
import { GetSessionAndUser } from "./GetSessionAndUser";
import { GetUser } from "./GetUser";
import { GetUserByAccount } from "./GetUserByAccount";
import { GetUserByCredentials } from "./GetUserByCredentials";
import { GetUserByEmail } from "./GetUserByEmail";
import { GetVerificationToken } from "./GetVerificationToken";
import { LinkAccount } from "./LinkAccount";
import { ListAuthenticatorsByUserId } from "./ListAuthenticatorsByUserId";
import { ListSessionsByUserId } from "./ListSessionsByUserId";
import { UnlinkAccount } from "./UnlinkAccount";
import { UpdateAuthenticatorCounter } from "./UpdateAuthenticatorCounter";
import { UpdateSession } from "./UpdateSession";
import { UpdateUser } from "./UpdateUser";
import { UseVerificationToken } from "./UseVerificationToken";

/** The kit's default implementation of every canonical operation. */
export const DEFAULT_OPERATIONS: Record<OperationName, new (...args: never[]) => unknown> = {
  createUser: CreateUser,
  getUser: GetUser,
  getUserByEmail: GetUserByEmail,
  getUserByAccount: GetUserByAccount,
  getUserByCredentials: GetUserByCredentials,
  updateUser: UpdateUser,
  deleteUser: DeleteUser,
  linkAccount: LinkAccount,
  unlinkAccount: UnlinkAccount,
  getAccount: GetAccount,
  createSession: CreateSession,
  getSessionAndUser: GetSessionAndUser,
  updateSession: UpdateSession,
  deleteSession: DeleteSession,
  listSessionsByUserId: ListSessionsByUserId,
  deleteSessionsByUserId: DeleteSessionsByUserId,
  createVerificationToken: CreateVerificationToken,
  useVerificationToken: UseVerificationToken,
  getVerificationToken: GetVerificationToken,
  deleteVerificationToken: DeleteVerificationToken,
  createAuthenticator: CreateAuthenticator,
  getAuthenticator: GetAuthenticator,
  listAuthenticatorsByUserId: ListAuthenticatorsByUserId,
  updateAuthenticatorCounter: UpdateAuthenticatorCounter,
};

export {
  CreateAuthenticator, CreateSession, CreateUser, CreateVerificationToken, DeleteSession, DeleteSessionsByUserId, DeleteUser,
  DeleteVerificationToken, GetAccount, GetAuthenticator, GetSessionAndUser, GetUser, GetUserByAccount,
  GetUserByCredentials, GetUserByEmail, GetVerificationToken, LinkAccount, ListAuthenticatorsByUserId,
  ListSessionsByUserId, UnlinkAccount, UpdateAuthenticatorCounter, UpdateSession, UpdateUser, UseVerificationToken,
};
