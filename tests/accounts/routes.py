from tests.isolation import route


def _profile(user):  # type: ignore[no-untyped-def]
    return {}, [user.profile.full_name, user.email]


route("accounts:account", _profile)
route("accounts:profile", _profile)
route("accounts:delete", _profile)
route("accounts:password_change", _profile)
# Logging out when logged out still lands on the login page; for a user it logs them out.
route("accounts:logout", method="POST", owner_status=302)
route("api:me", _profile, api=True)
route("api:me_update", _profile, api=True, method="PATCH", data={"school": "Owner School"})
