CREATE TABLE products (
    id          text PRIMARY KEY,
    name        text   NOT NULL,
    description text   NOT NULL DEFAULT '',
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    currency    text   NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$')
);

-- available = on_hand - reserved. The CHECK on reserved is the last line of defence against overselling:
-- even a buggy code path cannot commit more reservations than there are units.
CREATE TABLE stock (
    product_id text PRIMARY KEY REFERENCES products (id),
    on_hand    integer NOT NULL CHECK (on_hand >= 0),
    reserved   integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    version    bigint  NOT NULL DEFAULT 0
);

CREATE TABLE reservations (
    reservation_id text PRIMARY KEY,
    status         text        NOT NULL CHECK (status IN ('RESERVED', 'RELEASED')),
    total_cents    bigint      NOT NULL DEFAULT 0,
    currency       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    released_at    timestamptz
);

CREATE TABLE reservation_lines (
    reservation_id   text    NOT NULL REFERENCES reservations (reservation_id) ON DELETE CASCADE,
    product_id       text    NOT NULL REFERENCES products (id),
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint  NOT NULL,
    PRIMARY KEY (reservation_id, product_id)
);
