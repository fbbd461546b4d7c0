import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** What is charged: a fee, in minor units, for the thing `reference` names (an e-visa application, a document request). */
export interface PaymentRequest {
  reference: string;
  /** What the payer sees on the receipt. */
  description: string;
  amount: number;
  currency: string;
  payerEmail: string;
}

/** A settled payment, as the provider confirms it. */
export interface PaymentSettlement {
  providerReference: string;
  amount: number;
  currency: string;
  paidAt: Date;
  /** The provider's receipt, stored as it is. */
  receipt: Record<string, unknown>;
}

/**
 * Charges fees (e-visas, consular documents). PaymentsModule binds the one PAYMENT_PROVIDER names; a real acquirer is
 * another implementation of this class. `charge` either settles (and returns the settlement) or throws PaymentDeclined.
 */
export abstract class PaymentProvider {
  abstract readonly name: string;
  abstract charge(request: PaymentRequest): Promise<PaymentSettlement>;
}

/** The provider refused the payment; its reason is shown to the payer. */
export class PaymentDeclined extends Error {}

/** A settled fee as a module stores it beside its record: who settled it, their reference, and the receipt. */
export type PaymentRecord = PaymentSettlement & { provider: string };

/**
 * Charges a fee and gives what to store; a refusal by the provider becomes the caller's own error (a 402 of its
 * catalogue), anything else (the provider unreachable) propagates and rolls the caller's transaction back.
 */
export async function settleFee(provider: PaymentProvider, request: PaymentRequest, declined: (reason: string) => Error): Promise<PaymentRecord> {
  try {
    return { provider: provider.name, ...(await provider.charge(request)) };
  } catch (error) {
    if (error instanceof PaymentDeclined) throw declined(error.message);
    throw error;
  }
}

/** The provider a PAYMENT_PROVIDER setting names. */
export function paymentProviderFor(setting: 'development' | 'none'): PaymentProvider {
  return setting === 'development' ? new DevelopmentPaymentProvider() : new NoPaymentProvider();
}

/** Production without a real acquirer: every payment is refused, so no fee is waived. */
export class NoPaymentProvider extends PaymentProvider {
  readonly name = 'none';

  charge(): Promise<PaymentSettlement> {
    return Promise.reject(new PaymentDeclined('no payment provider is configured; please try again later'));
  }
}

/** For development and tests: every payment settles at once, with a receipt naming amount, currency and reference. */
@Injectable()
export class DevelopmentPaymentProvider extends PaymentProvider {
  readonly name = 'development';

  charge(request: PaymentRequest): Promise<PaymentSettlement> {
    const providerReference = `DEV-${randomUUID()}`;
    const paidAt = new Date();
    return Promise.resolve({
      providerReference,
      amount: request.amount,
      currency: request.currency,
      paidAt,
      receipt: {
        provider: this.name,
        providerReference,
        reference: request.reference,
        description: request.description,
        amount: request.amount,
        currency: request.currency,
        paidAt: paidAt.toISOString(),
      },
    });
  }
}
