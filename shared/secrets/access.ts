/**
 * On AWS, IAM decides whether a function may read a secret: GetSecretValue fails without the
 * grant. Locally every function runs in one process and reads its keys from files and the
 * environment, so nothing would refuse; the local runtime installs a check here that refuses as
 * IAM would, by the calling function's manifest `permissions`. Without one (on AWS, in unit tests)
 * this does nothing.
 */
export type SecretGrant = 'checkInSecret' | 'badgeKey' | 'cursorKey';

let check: ((grant: SecretGrant) => void) | undefined;

export function installSecretAccessCheck(next: ((grant: SecretGrant) => void) | undefined): void {
  check = next;
}

/** Called on every use, not only on the first load: a loaded key is cached for the whole process. */
export function assertSecretAccess(grant: SecretGrant): void {
  check?.(grant);
}
