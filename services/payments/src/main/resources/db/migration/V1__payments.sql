-- One row per idempotency key: the unique constraint is what makes "never charge twice" hold across
-- concurrent repeats and across service instances.
CREATE TABLE payments (
    payment_id      text PRIMARY KEY,
    idempotency_key text        NOT NULL UNIQUE,
    customer_id     text        NOT NULL DEFAULT '',
    amount_cents    bigint      NOT NULL CHECK (amount_cents > 0),
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status          text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED')),
    decline_reason  text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz
);
