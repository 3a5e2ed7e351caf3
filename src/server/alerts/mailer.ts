/**
 * The e-mail channel: after an alert's transaction commits, its message goes to the
 * organization's admins (enabled users with role admin) through LICSTAT_SMTP_URL. Best effort:
 * three tries a minute apart, in this process; the durable channel is the webhook outbox.
 */
import type { AlertDetails } from '../../contract/alerts.ts';
import type { Deps } from '../types.ts';
import { sendMail } from './smtp.ts';

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;

export function createAlertMailer(deps: Deps, onError: (e: unknown) => void, retryMs = 60_000) {
  const url = deps.config.smtpUrl;
  if (!url) return null;
  const pending = new Set<Promise<void>>();
  const send = async (org: string, fired: AlertDetails[]) => {
    const admins = await deps.db.kysely
      .selectFrom('users')
      .select('email')
      .where('organization_id', '=', org)
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .execute();
    const to = admins.map((a) => a.email).filter((e) => ADDRESS.test(e));
    if (to.length === 0) return;
    for (const d of fired) {
      const mail = {
        from: deps.config.smtpFrom,
        to,
        subject: `[licstat] ${d.message}`,
        text: `${d.message}\n\nLicense item: ${d.licenseItemName} (${d.licenseItemId})\nAlert: ${d.type}, threshold ${d.threshold}\n`,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          await sendMail(url, mail);
          break;
        } catch (e) {
          if (attempt >= 3) {
            onError(e);
            break;
          }
          await new Promise((r) => setTimeout(r, retryMs).unref());
        }
      }
    }
  };
  return {
    send(org: string, fired: AlertDetails[]): void {
      const p = send(org, fired)
        .catch(onError)
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    /** resolves when every mail queued so far was sent or given up */
    async idle(): Promise<void> {
      await Promise.all([...pending]);
    },
  };
}
