import type { HttpAdapterName } from '../config/app-config';
import { expressPlatform } from './express.platform';
import { fastifyPlatform } from './fastify.platform';
import type { HttpPlatform } from './http-platform';

/** HTTP_ADAPTER's platforms. */
export const HTTP_PLATFORMS: Readonly<Record<HttpAdapterName, HttpPlatform>> = {
  express: expressPlatform,
  fastify: fastifyPlatform,
};
