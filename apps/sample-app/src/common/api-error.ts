import { HttpException } from '@nestjs/common';

/** The one error body every response of the app uses. */
export interface ApiErrorBody {
  statusCode: number;
  /** Stable snake_case code clients can switch on. */
  error: string;
  /** One human-readable sentence; never a stack trace or internal detail. */
  message: string;
}

/** An HttpException whose body is already an ApiErrorBody, so the filter passes it through. */
export class ApiException extends HttpException {
  constructor(statusCode: number, error: string, message: string) {
    super({ statusCode, error, message } satisfies ApiErrorBody, statusCode);
  }
}
