-- Staff accounts. There is no default account: the first admin comes from
-- `plasticity user add … --role admin`. The password hash never leaves the server.

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('writer', 'reviewer', 'admin')),
    -- Post-nominal letters shown with a clinical review, e.g. "MD" or "PharmD".
    credentials TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
