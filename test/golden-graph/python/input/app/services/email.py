from app.util import text


def render(template: str) -> str:
    # Shadows util/text.py's render inside this module.
    return template.upper()


def send_welcome(user) -> str:
    # Known limit: names resolve per file, so `text.render` below also resolves to the local render
    # (the file rule wins), and this module gets no edge to util/text.py.
    return render("welcome ") + text.render("{0}", user.name)
