/**
 * Named domain errors. The HTTP layer maps them to status codes in one place
 * (shared/http/route.ts); every message is written for the person who will read it and says what
 * to do next.
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'CONFLICT';
  constructor(
    message: string,
    readonly reason: string,
    fields?: FieldErrors,
    /** Machine-readable facts behind the reason (e.g. when an action becomes possible). */
    readonly details?: Record<string, string>,
  ) {
    super(message, fields);
  }
}

/** The thing existed and is gone for good (a revoked certificate's PDF). */
export class GoneError extends DomainError {
  readonly status = 410;
  readonly code = 'GONE';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** Too soon to do this again; `details.retryAfter` says when it will be allowed. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    message: string,
    readonly reason: string,
    readonly details: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * A paging cursor this list did not hand out, or handed out for another query or caller, or
 * changed on the way: the only way on is the first page again.
 */
export class InvalidCursorError extends ValidationError {
  readonly reason = 'invalid_cursor';
  constructor() {
    super(
      'This cursor does not belong to this list: it was changed, or it came from another list, query or account, or the key behind cursors was rotated. Start again from the first page (send the request without cursor).',
      { 'query.cursor': ['is not a cursor from the previous page of this list'] },
    );
  }
}
