/** The ledger page shows staff the checkpoint signing key (fingerprint and public key) that auditors need. */
import { type Ack, type CheckpointExport, fail } from '@protocol';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportsApi } from '../../admin/lib/reportsApi';
import { LedgerPage } from '../../admin/pages/ledger/LedgerPage';

afterEach(cleanup);

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAexample0000000000000000000000000000000000=\n-----END PUBLIC KEY-----\n';
const BASE: CheckpointExport = {
  format: 'gongshi-ledger-checkpoint/1',
  town: '彪角镇',
  seq: 7,
  headHash: 'b'.repeat(64),
  at: Date.UTC(2026, 10, 26),
  howToVerify: 'npm run ledger:verify -- --checkpoint <file>',
};

function reportsAnswering(checkpoint: CheckpointExport): ReportsApi {
  const links = new Proxy({}, { get: () => () => '/link' });
  return new Proxy({} as ReportsApi, {
    get: (_target, name) => {
      if (name === 'links') return links;
      if (name === 'checkpoint') return () => Promise.resolve<Ack<CheckpointExport>>({ ok: true, data: checkpoint });
      return () => Promise.resolve(fail('internal', `${String(name)} not in this test`));
    },
  });
}

describe('LedgerPage signing key', () => {
  it('shows the fingerprint and the public key of a signed checkpoint', async () => {
    const fingerprint = `SHA256:${'c'.repeat(64)}`;
    render(
      <LedgerPage
        reports={reportsAnswering({ ...BASE, signature: { algorithm: 'Ed25519', publicKey: PEM, fingerprint, value: 'sig' } })}
      />,
    );
    expect((await screen.findByTestId('key-fingerprint')).textContent).toBe(fingerprint);
    expect(screen.getByTestId('public-key').textContent).toBe(PEM);
    expect(screen.getByText('签名密钥（Ed25519）')).toBeTruthy();
    // The public key downloads as a PEM file, what ledger:verify --public-key takes.
    const made: Blob[] = [];
    const clicked: string[] = [];
    URL.createObjectURL = (blob: Blob) => (made.push(blob), 'blob:key');
    URL.revokeObjectURL = () => undefined;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    fireEvent.click(screen.getByRole('button', { name: '下载公钥文件' }));
    expect(clicked).toEqual(['gongshi-checkpoint-signing.pub']);
    expect(await made[0]?.text()).toBe(PEM);
  });

  it('says so when a checkpoint carries no signature', async () => {
    render(<LedgerPage reports={reportsAnswering(BASE)} />);
    expect(await screen.findByText('此检查点没有签名。')).toBeTruthy();
    expect(screen.queryByTestId('key-fingerprint')).toBeNull();
  });
});
