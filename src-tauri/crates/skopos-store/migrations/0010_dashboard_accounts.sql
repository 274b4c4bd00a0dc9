-- The web dashboard's owner account and its login sessions. Registration is open only
-- while no account exists. Passwords are stored as argon2 PHC strings; a login session is
-- stored under the BLAKE3 hash of its cookie token, so the file never holds a usable token.
CREATE TABLE dashboard_users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE dashboard_logins (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES dashboard_users (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
