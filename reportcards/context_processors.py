from accounts.roles import Role, user_roles


def roles(request):
    held = user_roles(request.user) if hasattr(request, "user") else set()
    return {"user_roles": {role.name.lower(): role in held for role in Role}}
