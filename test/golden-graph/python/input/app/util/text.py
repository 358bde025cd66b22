def render(template: str, *values) -> str:
    return template.format(*values)
