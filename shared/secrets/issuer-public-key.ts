import * as z from '../schemas/zod';
import { requiredEnv } from '../env';

/**
 * The public half of the badge signing key, as configuration: on AWS derived at deploy time by
 * the BadgePublicJwk custom resource, locally from the key file by the local runtime. The route
 * that publishes it thereby needs no right to read the secret holding the private key.
 */
const publicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
});

export type IssuerPublicJwk = z.infer<typeof publicJwkSchema>;

export function issuerPublicJwk(): IssuerPublicJwk {
  const text = requiredEnv('ISSUER_PUBLIC_JWK');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error('ISSUER_PUBLIC_JWK is not JSON; the deployment must set it to the public Ed25519 JWK.', { cause: error });
  }
  // A private member here means a misconfiguration that must never reach a public response.
  if (typeof value === 'object' && value !== null && 'd' in value) {
    throw new Error('ISSUER_PUBLIC_JWK holds a private key; it must hold the public JWK only.');
  }
  return publicJwkSchema.parse(value);
}
