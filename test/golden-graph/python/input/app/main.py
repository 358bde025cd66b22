import os
import requests

from app.models import User
from .services import billing
from .services.email import send_welcome


def load_user(name: str) -> User:
    return User(name, os.environ.get("PLAN", "free"))


def run() -> None:
    user = load_user("ada")
    billing.charge(user, 10)
    send_welcome(user)
    requests.post("https://example.com/hook", json={"user": user.name})
