/**
 * Every background job, its payload, and how its queue retries. The one list of jobs:
 * a feature adds its jobs here and registers a handler with JobQueue.work().
 */
export interface JobPayloads {
  /** Deliver one recorded e-mail message. */
  'email.send': { messageId: string };
  /** E-mail a reset or verification link when the address has an account (the e-mail sealed with the FieldCipher). */
  'auth.send-account-link': { purpose: 'reset_password' | 'verify_email'; sealedEmail: string };
  /** Hourly: forget counts of failed sign-ins that slow nobody down any more. */
  'auth.prune-sign-in-failures': Record<string, never>;
  /** Daily: remind registrants a week before their departure date, end registrations after it. */
  'registrations.expire': Record<string, never>;
  /** Hourly by default (AUDIT_CHECKPOINT_CRON): sign the audit chain's head unless the last checkpoint names it. */
  'audit.checkpoint': Record<string, never>;
  /** Hourly: delete expired idempotency keys. */
  'idempotency.purge': Record<string, never>;
  /** Every minute: delete shared rate-limit windows that no longer weigh on any count. */
  'rate-limits.purge': Record<string, never>;
  /** Issue the e-visas of an approved application (visa numbers, PDFs, e-mail); safe to run twice. */
  'visas.issue': { applicationId: string };
  /** After approval: one recipient row per person and one delivery row per channel, set-based; then the send batches. */
  'alerts.materialise': { alertId: string };
  /** Send a batch of an alert's pending deliveries of a round; retried deliveries back off inside the job's retries. */
  'alerts.send-batch': { alertId: string; round: number };
  /** A follow-up round to the recipients who have not answered (scheduled, or staff's "remind now"). */
  'alerts.follow-up': { alertId: string };
  /** Every minute: claims on e-visa applications left untouched for VISA_CLAIM_TIMEOUT_MINUTES return to the queue. */
  'visas.release-stale-claims': Record<string, never>;
  /** Daily: each consul is e-mailed the applications of their missions due by the end of the next working day. */
  'visas.deadline-digest': Record<string, never>;
  /** Every 10 minutes: delete the stored bytes of visa files whose record is gone (replaced, or its person removed). */
  'visas.sweep-discarded-files': Record<string, never>;
  /** Every minute (and when a worker starts): due follow-up rounds, and broadcasts a dead worker left unfinished. */
  'alerts.sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export interface QueuePolicy {
  retryLimit: number;
  /** Multiplies the configured base retry delay; retries back off exponentially from it. */
  retryDelayFactor: number;
  expireInSeconds: number;
}

export const JOB_QUEUES: Record<JobName, QueuePolicy> = {
  'email.send': { retryLimit: 10, retryDelayFactor: 1, expireInSeconds: 120 },
  'auth.send-account-link': { retryLimit: 5, retryDelayFactor: 1, expireInSeconds: 120 },
  'auth.prune-sign-in-failures': { retryLimit: 2, retryDelayFactor: 4, expireInSeconds: 600 },
  'registrations.expire': { retryLimit: 5, retryDelayFactor: 30, expireInSeconds: 3600 },
  'audit.checkpoint': { retryLimit: 5, retryDelayFactor: 30, expireInSeconds: 600 },
  'idempotency.purge': { retryLimit: 3, retryDelayFactor: 30, expireInSeconds: 600 },
  'rate-limits.purge': { retryLimit: 1, retryDelayFactor: 10, expireInSeconds: 60 },
  'visas.issue': { retryLimit: 10, retryDelayFactor: 2, expireInSeconds: 300 },
  // Alerts are the worst day's traffic: retry soon and often, and give a 100,000-person batch room to finish.
  'alerts.materialise': { retryLimit: 10, retryDelayFactor: 1, expireInSeconds: 600 },
  'alerts.send-batch': { retryLimit: 10, retryDelayFactor: 1, expireInSeconds: 600 },
  'alerts.follow-up': { retryLimit: 5, retryDelayFactor: 2, expireInSeconds: 600 },
  'visas.release-stale-claims': { retryLimit: 1, retryDelayFactor: 2, expireInSeconds: 120 },
  'visas.deadline-digest': { retryLimit: 5, retryDelayFactor: 30, expireInSeconds: 600 },
  'visas.sweep-discarded-files': { retryLimit: 2, retryDelayFactor: 10, expireInSeconds: 600 },
  'alerts.sweep': { retryLimit: 1, retryDelayFactor: 10, expireInSeconds: 120 },
};
