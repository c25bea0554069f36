import { ApiProperty } from '@nestjs/swagger';
import type { ApiErrorBody } from '../common/api-error';

/** The one error body (ApiErrorBody), as an OpenAPI schema every error response references. */
export class ApiErrorSchema implements ApiErrorBody {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({
    description: 'Stable snake_case code clients can switch on.',
    example: 'unauthorized',
  })
  error!: string;

  @ApiProperty({ description: 'One human-readable sentence.', example: 'Authentication required.' })
  message!: string;
}
