class User:
    def __init__(self, name: str, plan: str) -> None:
        self.name = name
        self.plan = plan

    def save(self) -> None:
        print("saving", self.name)
