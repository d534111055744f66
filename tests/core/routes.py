from tests.isolation import route

route("core:dashboard", lambda user: ({}, [user.profile.full_name, user.email]))
