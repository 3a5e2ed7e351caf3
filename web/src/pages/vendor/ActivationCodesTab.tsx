/** Vendor console: create activation codes; the whole code is shown once, then only its prefix. */
import { useState } from 'react';
import type { ActivationCode, LicenseItem } from '../../../../src/contract/resources.ts';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useOrg } from '../../components/OrgPicker.tsx';
import { Async, Card } from '../../components/ui.tsx';
import { formatNumber } from '../../format.ts';
import { Field, FormStatus, useSubmit } from './forms.tsx';
import { NeedOrg } from './SimpleTabs.tsx';

export function ActivationCodesTab() {
  const org = useOrg();
  const items = useApi<{ licenseItems: LicenseItem[] }>(org.organizationId ? '/license-items' : null, {
    organizationId: org.organizationId,
  });
  const [itemId, setItemId] = useState('');
  const [max, setMax] = useState(5);
  const [created, setCreated] = useState<ActivationCode | null>(null);
  const list = (items.data?.licenseItems ?? []).filter((i) => i.model !== 'hardware-key');
  const eff = itemId || list[0]?.id || '';
  const codes = useApi<{ activationCodes: ActivationCode[] }>(eff ? '/activation-codes' : null, {
    licenseItemId: eff,
  });
  const f = useSubmit(
    () =>
      api<{ activationCode: ActivationCode }>('/activation-codes', {
        method: 'POST',
        body: { licenseItemId: eff, maxActivations: max },
      }),
    (r) => {
      setCreated(r.activationCode);
      codes.reload();
    },
  );
  if (!org.organizationId) return <NeedOrg />;
  return (
    <div className="grid-2">
      <Card title="New activation code">
        {list.length === 0 ? (
          <p className="muted">Issue a license item first (License items tab).</p>
        ) : (
          <form className="form" onSubmit={(e) => f.submit(e, () => 'Activation code created.')}>
            <Field label="License item">
              <select value={eff} onChange={(e) => setItemId(e.target.value)}>
                {list.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.id} · {i.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Maximum activations">
              <input type="number" min={1} value={max} onChange={(e) => setMax(Number(e.target.value))} />
            </Field>
            <FormStatus error={f.error} ok={f.ok} />
            <button className="btn btn-primary" type="submit" disabled={f.busy}>
              Create code
            </button>
          </form>
        )}
        {created?.code && (
          <div className="form" data-testid="new-code">
            <p className="notice">
              Copy this code now and give it to the customer: it is the license key their programs use. The
              portal shows only its prefix <strong className="id-mono">{created.prefix}</strong> from now on.
            </p>
            <div className="secret">{created.code}</div>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => navigator.clipboard?.writeText(created.code ?? '')}
            >
              Copy code
            </button>
          </div>
        )}
      </Card>
      <Card title="Codes of this item">
        <Async state={codes}>
          {(d) =>
            d.activationCodes.length === 0 ? (
              <p className="muted">No codes yet.</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>Prefix</th>
                    <th className="num">Max activations</th>
                  </tr>
                </thead>
                <tbody>
                  {d.activationCodes.map((c) => (
                    <tr key={c.id}>
                      <td className="id-mono">{c.prefix}…</td>
                      <td className="num">{formatNumber(c.maxActivations)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
      </Card>
    </div>
  );
}
