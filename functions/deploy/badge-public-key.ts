import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { badgeKeysFromSecret } from '../../shared/secrets/badge-key';

/**
 * A CloudFormation custom resource run at deploy time: derives the public half of the badge
 * signing key and returns it as the attribute `PublicJwk`, which the stack hands to the public
 * issuer-key route as configuration. So the one public route that shows the key needs no right
 * to read the secret that holds the private key; only this function, which no request reaches,
 * reads it.
 *
 * It answers CloudFormation itself (a PUT to the pre-signed ResponseURL), so no provider
 * framework function is needed in between.
 */
const secretsManager = new SecretsManagerClient({});

interface Properties {
  SecretArn: string;
}

async function publicJwkOf(secretArn: string): Promise<string> {
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (SecretString === undefined) throw new Error('The badge key secret has no SecretString.');
  const { kty, crv, x } = badgeKeysFromSecret(SecretString).publicJwk;
  // Only the public members, whatever else an export might carry.
  return JSON.stringify({ kty, crv, x });
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const physicalResourceId = event.RequestType === 'Create' ? `badge-public-key-${event.LogicalResourceId}` : event.PhysicalResourceId;
  let answer: { Status: 'SUCCESS' | 'FAILED'; Reason?: string; Data?: Record<string, string> };
  try {
    answer =
      event.RequestType === 'Delete'
        ? { Status: 'SUCCESS' }
        : { Status: 'SUCCESS', Data: { PublicJwk: await publicJwkOf((event.ResourceProperties as unknown as Properties).SecretArn) } };
  } catch (error) {
    // The reason shows in the stack's events; a key error never carries key material.
    answer = { Status: 'FAILED', Reason: error instanceof Error ? error.message : 'The public key could not be derived.' };
  }
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify({
      ...answer,
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  });
  if (!response.ok) throw new Error(`CloudFormation refused the custom resource answer: ${response.status}`);
}
