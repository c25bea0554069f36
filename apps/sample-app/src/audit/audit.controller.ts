import { Controller, Get } from '@nestjs/common';
import { CurrentUserId } from '@app/session';
import { AuditService, type AuditEventView } from './audit.service';

@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@CurrentUserId() userId: string): Promise<AuditEventView[]> {
    return this.audit.listForUser(userId);
  }
}
