/** Alerts and webhooks of an organization (portal API), shared by the server and the web portal. */
import { Type } from 'typebox';

export interface AlertSettings {
  /** percent of any quota item's quota; each fires once when usage rises to it (again after it fell below) */
  quotaThresholds: number[];
  /** a declines alert fires when an item has more than this many declined starts within an hour */
  declinesPerHour: number;
  /** days before an item's validity end */
  expiryDays: number[];
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  quotaThresholds: [75, 90, 95, 100],
  declinesPerHour: 10,
  expiryDays: [30, 7],
};

export const AlertSettingsSchema = Type.Object(
  {
    quotaThresholds: Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), { maxItems: 10 }),
    declinesPerHour: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    expiryDays: Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 10 }),
  },
  { additionalProperties: false },
);

export type AlertType = 'quota' | 'declines' | 'expiry';

/** The `data` of an alert event (webhook body and alert log). */
export interface AlertDetails {
  type: AlertType;
  licenseItemId: string;
  licenseItemName: string;
  /** quota: the threshold percent; declines: the per-hour limit; expiry: days before the end */
  threshold: number;
  /** quota: usage (seats/devices/scans/licenses); declines: declines in the last hour; expiry: validTo (ISO) */
  value: number | string;
  quota: number | null;
  message: string;
}

/** An alert's e-mail to the organization's admins (null: no SMTP server, or no admin to write to). */
export interface AlertEmail {
  /** `pending` (queued or being retried), `sent`, or `failed` (given up a day after the alert) */
  status: 'pending' | 'sent' | 'failed';
  recipients: number;
  attempts: number;
  /** the last failed attempt's reason (cleared once sent) */
  lastError: string | null;
  sentAt: string | null;
}

export interface AlertLogEntry {
  id: string;
  key: string;
  type: AlertType;
  licenseItemId: string | null;
  firedAt: string;
  details: AlertDetails;
  email: AlertEmail | null;
}

/** The JSON body POSTed to a webhook. */
export interface WebhookEvent {
  id: string;
  /** `alert.quota`, `alert.declines`, `alert.expiry`, or `webhook.test` */
  type: string;
  organizationId: string;
  createdAt: string;
  data: AlertDetails | { message: string };
}

export interface Webhook {
  id: string;
  url: string;
  createdAt: string;
  /** the secret's first characters, to tell secrets apart */
  secretHint: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** its attempts, newest first (the latest 50) */
  history: WebhookAttempt[];
}

/** One attempt to deliver an event: what the receiver answered, or why it could not be reached. */
export interface WebhookAttempt {
  /** 1 for the first */
  attempt: number;
  at: string;
  /** the receiver's HTTP status; null when no answer came */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export const CreateWebhookSchema = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' }),
    /** HMAC key; generated when omitted (answered once, at creation) */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    /** vendors: the organization */
    organizationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
