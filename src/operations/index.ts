import type { OperationName } from "../kernel/operations";
import { OPERATION_NAMES, OPERATION_REGISTRY } from "./registry";
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

/** The kit's default implementation of every canonical operation (read from the registry). */
export const DEFAULT_OPERATIONS = Object.freeze(
  Object.fromEntries(OPERATION_NAMES.map((name) => [name, OPERATION_REGISTRY[name].implementation])),
) as Readonly<Record<OperationName, new (...args: never[]) => unknown>>;

export {
  CreateAuthenticator, CreateSession, CreateUser, CreateVerificationToken, DeleteSession, DeleteSessionsByUserId, DeleteUser,
  DeleteVerificationToken, GetAccount, GetAuthenticator, GetSessionAndUser, GetUser, GetUserByAccount,
  GetUserByCredentials, GetUserByEmail, GetVerificationToken, LinkAccount, ListAuthenticatorsByUserId,
  ListSessionsByUserId, UnlinkAccount, UpdateAuthenticatorCounter, UpdateSession, UpdateUser, UseVerificationToken,
};

export { OPERATION_NAMES, OPERATION_REGISTRY, OPERATIONS, isOperationName, type OperationDefinition, type AuthjsMapping } from "./registry";
