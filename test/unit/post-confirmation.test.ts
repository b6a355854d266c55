import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/cognito/post-confirmation';

const cognito = mockClient(CognitoIdentityProviderClient);

function confirmation(triggerSource: PostConfirmationTriggerEvent['triggerSource']): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_Pool',
    userName: 'b3f1c2d4-0000-4000-8000-000000000001',
    triggerSource,
    callerContext: { awsSdkVersion: '3', clientId: 'web' },
    request: { userAttributes: { email: 'aigerim@school.kz', name: 'Әйгерім Қанатқызы' } },
    response: {},
  };
}

describe('post-confirmation trigger', () => {
  beforeEach(() => cognito.reset());

  it('puts a confirmed self sign-up into the teachers group and hands the event back', async () => {
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const event = confirmation('PostConfirmation_ConfirmSignUp');
    await expect(handler(event)).resolves.toBe(event);
    expect(cognito).toHaveReceivedCommandTimes(AdminAddUserToGroupCommand, 1);
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      UserPoolId: 'eu-central-1_Pool',
      Username: 'b3f1c2d4-0000-4000-8000-000000000001',
      GroupName: 'teachers',
    });
  });

  it('leaves the groups of someone confirming a forgotten password alone', async () => {
    await handler(confirmation('PostConfirmation_ConfirmForgotPassword'));
    expect(cognito).not.toHaveReceivedCommand(AdminAddUserToGroupCommand);
  });

  it('fails the confirmation when the group cannot be joined, so Cognito reports it instead of a teacher without rights', async () => {
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('AccessDenied'));
    await expect(handler(confirmation('PostConfirmation_ConfirmSignUp'))).rejects.toThrow('AccessDenied');
  });
});
