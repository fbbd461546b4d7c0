import type { Mission } from '../missions/mission.entity';
import type { Alert } from './alert.entity';

/** An alert as a channel sends it: the alert and its mission, loaded once per batch job. */
export interface AlertBroadcast {
  alert: Alert;
  mission: Mission;
  round: number;
}

/** One claimed delivery: already recorded as `sending` (the attempt is committed before the channel sends it). */
export interface ClaimedDelivery {
  /** The delivery id: also the message's id at the channel (the e-mail Message-ID). */
  id: string;
  attempts: number;
  /** The recipient's alert language (theirs when the alert has it, else the alert's first). */
  language: string;
  email: string;
  fullName: string;
  /** The one-click respond token this message carries; only its SHA-256 is stored. */
  token: string;
}

/** What became of one delivery: accepted, refused for good, or worth another attempt later. */
export type DeliveryOutcome =
  | { id: string; outcome: 'sent' }
  | { id: string; outcome: 'failed' | 'retry'; error: string };

/**
 * A way of reaching people (e-mail now; SMS or a messenger later). A new channel is a class implementing this,
 * listed in alert-channels.ts: materialisation opens each round on every listed channel, the sending lanes make one
 * delivery per recipient and channel from it, and claiming, retries, leases and stats work on delivery rows whatever
 * their channel.
 */
export interface AlertChannel {
  /** Stored in alert_deliveries.channel. */
  readonly name: string;
  /** How many deliveries the channel can have in flight at once: the sender claims no more than this. */
  readonly concurrency: number;
  /** Sends each delivery once and reports every outcome; never throws for one recipient's failure. */
  sendBatch(broadcast: AlertBroadcast, deliveries: ClaimedDelivery[]): Promise<DeliveryOutcome[]>;
}

/** Injection token of the list of channels (alert-channels.ts). */
export const ALERT_CHANNELS = Symbol('ALERT_CHANNELS');
