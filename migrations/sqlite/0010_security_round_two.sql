-- Security, second round (issue 28).
--
-- An authenticator secret still being enrolled belongs to the half-signed-in session it was shown
-- to, sealed like a confirmed one: made afresh for each session, and only the session that was
-- shown it can confirm it. `staff_totp` now holds confirmed secrets only; the pending ones it
-- held were shown to any session that knew the password, so they are dropped (the person is
-- shown a new one at their next sign-in).
ALTER TABLE sessions ADD COLUMN totp_pending_sealed TEXT;
DELETE FROM staff_totp WHERE confirmed_at IS NULL;

-- Which password a session was opened with: every change of an account's password counts one
-- up, and a session whose count is not the account's is over (checked by every request, and by
-- the step that makes a half session whole), so a sign-in in flight during a change cannot
-- outlive it.
ALTER TABLE staff ADD COLUMN password_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN password_generation INTEGER NOT NULL DEFAULT 0;
