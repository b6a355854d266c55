/**
 * The Cognito groups a person can belong to, which are the roles every route's access names. They
 * sit beside the principal rather than in the manifest: the manifest, the authorizer, the user
 * pool and the local token issuer all read them, and none of those owns them.
 */
export const roles = ['admins', 'coordinators', 'trainers', 'teachers'] as const;
export type Role = (typeof roles)[number];
