from .main import run

__all__ = ["run"]
