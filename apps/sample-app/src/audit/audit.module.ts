import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { AuditController } from './audit.controller';
import { AuditListener } from './audit.listener';
import { AuditRetention } from './audit-retention';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit.writer';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController],
  providers: [AuditListener, AuditService, AuditRetention, AuditWriter],
  exports: [AuditWriter, AuditService],
})
export class AuditModule {}
