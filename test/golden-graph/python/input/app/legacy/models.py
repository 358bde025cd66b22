# An older User with a save method: nothing imports this module, so it must never be picked.
class User:
    def save(self) -> None:
        pass


def charge(user: User) -> None:
    user.save()
