from tests.isolation import route


def _own(user):  # type: ignore[no-untyped-def]
    return {}, [user.email]


route("portability:data", _own)
# The stranger downloads their own (empty) export; alice's rows are never in it
# (tests/portability/test_views.py reads the archives).
route("portability:export", _own, method="POST")
# No file: the form's error, and nothing imported.
route("portability:import", _own, method="POST", owner_status=400)
