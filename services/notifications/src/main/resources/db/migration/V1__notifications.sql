-- Every OrderPlaced event, exactly once: the order id is the primary key and inserts are ON CONFLICT DO NOTHING,
-- so Kafka's at-least-once redeliveries (and the outbox relay's re-sends) are absorbed here.
create table received_orders (
    order_id         text primary key,
    customer_id      text        not null,
    total_cents      bigint      not null,
    currency         text        not null,
    line_count       int         not null,
    order_created_at text        not null,
    kafka_partition  int         not null,
    kafka_offset     bigint      not null,
    received_at      timestamptz not null default now()
);

-- The (simulated) order confirmation e-mail. No address is stored: the event does not carry one, and Vigil keeps
-- personal data out of the notifications schema and its logs.
create table sent_notifications (
    order_id  text primary key references received_orders (order_id),
    channel   text        not null,
    template  text        not null,
    sent_at   timestamptz not null default now()
);
