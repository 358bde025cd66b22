from ..models import User
from ..util.text import render


def charge(user: User, amount: int) -> str:
    user.save()
    return render("charged {0}", amount)
