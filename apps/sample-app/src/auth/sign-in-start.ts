/**
 * When each sign-in request began — before its password was read. The session it creates is
 * refused if the user's sessions were revoked after that moment (SessionService.create's
 * `authenticatedSince`), so a login with an old password cannot outlive a password change or an
 * account deletion that raced it.
 */
const started = new WeakMap<object, Date>();

export function markSignInStart(request: object): void {
  started.set(request, new Date());
}

export function signInStartOf(request: object): Date {
  const at = started.get(request);
  if (at === undefined) throw new Error('signInStartOf: the request did not pass LocalAuthGuard');
  return at;
}
