-- One row per confirmed order. The unique (customer_id, idempotency_key) constraint is the last line of defence
-- against a second order for the same request; idempotency_keys below is what serializes concurrent attempts.
create table orders (
    id              uuid primary key,
    customer_id     text        not null,
    idempotency_key text        not null,
    status          text        not null,
    total_cents     bigint      not null,
    currency        text        not null,
    payment_id      text        not null,
    created_at      timestamptz not null,
    constraint orders_customer_idempotency_key unique (customer_id, idempotency_key)
);

create index orders_customer_created on orders (customer_id, created_at desc);

create table order_lines (
    order_id   uuid    not null references orders (id),
    line_no    int     not null,
    product_id text    not null,
    quantity   int     not null,
    primary key (order_id, line_no)
);

-- The claim a placement takes before it touches inventory or payments. The first request for a key inserts a
-- PENDING row; concurrent duplicates find it and wait for COMPLETED/FAILED instead of reserving or charging.
-- order_id is fixed at claim time so that a takeover of an abandoned claim replays the same (idempotent)
-- reservation and charge instead of creating new ones.
create table idempotency_keys (
    customer_id     text        not null,
    idempotency_key text        not null,
    request_hash    text        not null,
    order_id        uuid        not null,
    state           text        not null check (state in ('PENDING', 'COMPLETED', 'FAILED')),
    error_code      text,
    error_message   text,
    claimed_at      timestamptz not null,
    primary key (customer_id, idempotency_key)
);

-- Transactional outbox: written in the same transaction as the order, relayed to Kafka by OutboxRelay.
create table outbox (
    id           bigserial primary key,
    aggregate_id uuid        not null,
    event_type   text        not null,
    payload      text        not null,
    -- W3C traceparent of the request that wrote the event: the relay sends under it, so the Kafka producer span
    -- (and the consumer's link) belongs to the order's trace rather than to a detached relay trace.
    traceparent  text,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

create index outbox_unpublished on outbox (id) where published_at is null;
