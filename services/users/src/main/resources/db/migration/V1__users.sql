CREATE TABLE user_account (
    id            uuid PRIMARY KEY,
    email         varchar(254) NOT NULL,
    name          varchar(100) NOT NULL,
    password_hash varchar(100) NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now()
);

-- Emails are unique regardless of case; the original spelling is kept for display.
CREATE UNIQUE INDEX user_account_email_lower_key ON user_account (lower(email));

-- The JWT signing key pair, shared by every instance and kept across restarts. At most one active key:
-- instances starting at the same time race on this index and the losers read the winner's key.
CREATE TABLE signing_key (
    kid         varchar(64) PRIMARY KEY,
    private_key bytea       NOT NULL,
    public_key  bytea       NOT NULL,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX signing_key_single_active ON signing_key (active) WHERE active;
