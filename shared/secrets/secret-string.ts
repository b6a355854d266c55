import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let secretsManager: SecretsManagerClient | undefined;

/** True for the local runtime's stand-in for a secret: a file:/// URL where an ARN would be. */
export function isLocalSecretFile(reference: string): boolean {
  return reference.startsWith('file:');
}

export function localSecretPath(reference: string): string {
  return fileURLToPath(reference);
}

/**
 * The text of the secret a reference (a *_SECRET_ARN variable, shared/env.ts) names: on AWS its
 * SecretString in Secrets Manager, locally the content of the file the local runtime keeps.
 */
export async function secretString(reference: string, what: string): Promise<string> {
  if (isLocalSecretFile(reference)) return (await readFile(localSecretPath(reference), 'utf8')).trim();
  secretsManager ??= new SecretsManagerClient({});
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: reference }));
  if (SecretString === undefined) throw new Error(`${what} has no SecretString; store the key as text.`);
  return SecretString;
}
