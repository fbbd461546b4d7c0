import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmailMessage } from './email-message.entity';
import { EmailRenderer } from './email-renderer';
import { MailService } from './mail.service';
import { MailTransport } from './mail-transport';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EmailMessage])],
  providers: [EmailRenderer, MailTransport, MailService],
  exports: [MailService, EmailRenderer],
})
export class NotificationsModule {}
