import { Injectable } from '@nestjs/common';

/**
 * The time source of the module; override the provider to test timeouts without sleeping.
 *
 * @publicApi
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
