import { PaymentDeclined, PaymentProvider, paymentProviderFor, settleFee } from './payment-provider';

describe('payment providers', () => {
  const request = { reference: 'EV-7K3M9QX2', description: 'E-visa fee, application EV-7K3M9QX2', amount: 6000, currency: 'USD', payerEmail: 'erika@example.de' };

  it('development settles at once, with a receipt naming amount, currency and reference', async () => {
    const provider = paymentProviderFor('development');
    const settled = await provider.charge(request);
    expect(provider.name).toBe('development');
    expect(settled).toMatchObject({ amount: 6000, currency: 'USD', providerReference: expect.stringMatching(/^DEV-/) });
    expect(settled.receipt).toMatchObject({ amount: 6000, currency: 'USD', providerReference: settled.providerReference, description: expect.stringContaining('EV-7K3M9QX2') });
    expect((await provider.charge(request)).providerReference).not.toBe(settled.providerReference);
  });

  it('none (production without an acquirer) refuses every payment', async () => {
    await expect(paymentProviderFor('none').charge(request)).rejects.toBeInstanceOf(PaymentDeclined);
  });

  it('settleFee gives the record to store, turns a refusal into the caller’s error and lets other failures through', async () => {
    const declined = (reason: string) => new Error(`declined: ${reason}`);
    expect(await settleFee(paymentProviderFor('development'), request, declined)).toMatchObject({ provider: 'development', amount: 6000, currency: 'USD' });
    await expect(settleFee(paymentProviderFor('none'), request, declined)).rejects.toThrow(/^declined: /);
    const unreachable: PaymentProvider = { name: 'acquirer', charge: () => Promise.reject(new Error('connection refused')) };
    await expect(settleFee(unreachable, request, declined)).rejects.toThrow('connection refused');
  });
});
