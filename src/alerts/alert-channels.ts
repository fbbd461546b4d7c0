import { Provider } from '@nestjs/common';
import { ALERT_CHANNELS, AlertChannel } from './alert-channel';
import { EmailAlertChannel } from './email-alert-channel';

/** Every channel an alert goes out on: the one place a new channel (SMS, a messenger) is added. */
const CHANNEL_TYPES = [EmailAlertChannel];

/** The channel classes, and the ALERT_CHANNELS list of their instances, for the alerts module's providers. */
export const alertChannelProviders: Provider[] = [
  ...CHANNEL_TYPES,
  { provide: ALERT_CHANNELS, useFactory: (...channels: AlertChannel[]) => channels, inject: CHANNEL_TYPES },
];
