"""What an account owns, and what deliberately stays behind when it moves.

Every model of every ``preceptor`` app is in exactly one of :data:`OWNED` and
:data:`NOT_OWNED` (``tests/portability/test_owned.py`` fails otherwise), so a model added
later cannot be forgotten by the export: its author has to decide, and say why.

:data:`OWNED` maps each owned model to the lookup that reaches its user; the export takes
every row that lookup finds, the import writes them back in dependency order. Models with a
one-to-one link to the user (the profile, the preferences) are *singletons*: the new
account already has (or gets) one, and the import fills it in.
"""

from __future__ import annotations

# label -> the ORM lookup from a row to the user who owns it.
OWNED: dict[str, str] = {
    "accounts.Profile": "user",
    "mentors.Tag": "user",
    "mentors.Mentor": "user",
    "mentors.SupervisionPeriod": "mentor__user",
    "mentors.Interaction": "mentor__user",
    "mentors.ActionItem": "mentor__user",
    "mentors.Achievement": "user",
    "letters.Application": "user",
    "letters.LibraryDocument": "user",
    "letters.DocumentVersion": "document__user",
    "letters.ApplicationDocument": "application__user",
    "letters.SentDocument": "request__application__user",
    "letters.LetterRequest": "application__user",
    "letters.RequestTransition": "request__application__user",
    "letters.ProgramOutcome": "application__user",
    "notify.Preferences": "user",
    "notify.Interview": "user",
    "smartpick.ApplicantProfile": "user",
}

# label -> why it is not exported.
NOT_OWNED: dict[str, str] = {
    "accounts.User": "the account itself: the import fills the account you are logged in "
    "to, whose email address and password stay those of the new instance",
    "core.WorkerHeartbeat": "the instance's own bookkeeping of its worker processes",
    "core.RateCounter": "the instance's rate-limit counters (hashed, tied to no account)",
    "letters.ServiceRule": "shared rules that ship with Preceptor, the same on every instance",
    "writers.WriterLink": "a secret link for a writer on this instance; a link from one "
    "instance opens nothing on another, so issue a new one there",
    "writers.VaultLetter": "a writer's letter held in confidence, encrypted under this "
    "instance's keys: its content (the vault's letter bytes) never leaves the vault, and a "
    "waived letter never reaches the applicant at all",
    "writers.Delivery": "download links for recipients of a vault letter on this instance",
    "writers.AuditEvent": "the vault's audit log: the instance's record of what happened "
    "to a confidential letter, not the applicant's to carry or rewrite",
    "writers.UsedNonce": "replay protection for writer uploads on this instance",
    "notify.Reminder": "computed from your letters, mentors and interviews; the import "
    "rebuilds them",
    "notify.Notification": "messages about events on this instance that link to its pages",
    "notify.CalendarFeed": "the secret address of your calendar feed on this instance",
    "notify.FeedEvent": "computed calendar events; the import rebuilds them",
    "notify.WriterOptOut": "a writer's own choice to get no reminders, not the applicant's",
    "smartpick.Program": "the shared program catalogue that ships with Preceptor",
    "smartpick.SimulationRun": "a computation's result (with the client address that "
    "started it); rerun it from your SmartPick profile in seconds",
    # Framework tables, named here so the list reads complete.
    "sessions.Session": "logins on this instance",
    "axes.AccessAttempt": "login throttling on this instance",
    "axes.AccessFailureLog": "login throttling on this instance",
    "axes.AccessLog": "login records on this instance",
    "axes.AccessAttemptExpiration": "login throttling on this instance",
    "auth.Group": "the administrators' permission groups on this instance",
    "auth.Permission": "the administrators' permissions on this instance",
    "contenttypes.ContentType": "the framework's table of models",
    "django_tasks_database.DBTaskResult": "queued background work on this instance",
    "admin.LogEntry": "the administrators' change log",
}

# JSON fields that hold the primary keys of other owned rows: (label, field) -> target
# label. The export writes their opaque ids, the import the new rows' keys.
JSON_REFERENCES: dict[tuple[str, str], str] = {
    ("letters.LetterRequest", "achievement_ids"): "mentors.Achievement",
}
