import { Controller, Get } from '@nestjs/common';
import { CurrentUserId } from '@app/session';
import { AuditService, type AuditEventView } from './audit.service';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSession } from '../openapi/api-session.decorator';
import { AuditEventSchema } from '../openapi/response.schemas';

@ApiTags('account')
@ApiSession()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "The caller's recent session events" })
  @ApiOkResponse({
    type: [AuditEventSchema],
    description: "The caller's session events, newest first.",
  })
  list(@CurrentUserId() userId: string): Promise<AuditEventView[]> {
    return this.audit.listForUser(userId);
  }
}
