import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@aws-lambda-powertools/logger';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { Role } from '../../shared/auth/roles';

const cognito = new CognitoIdentityProviderClient({});
const logger = new Logger();

/** Whoever signs themselves up is a teacher; staff groups are given by admins only. */
export const selfSignUpGroup: Role = 'teachers';

/**
 * Cognito calls this after a self sign-up is confirmed. Without it a new teacher's token carries
 * no group, and every teacher route would answer 403. Adding a member who already is one is a
 * no-op in Cognito, so a retried trigger is harmless.
 */
export async function handler(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  // The same trigger fires after a forgotten-password confirmation; that user already has groups.
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: event.userPoolId, Username: event.userName, GroupName: selfSignUpGroup }),
  );
  logger.info('self sign-up joined its group', { group: selfSignUpGroup });
  return event;
}
